import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { CALICO_ONLY_SELECTORS } from './k8s-flavor';
import { defaultName } from './policy-core';
import { Checker } from './rule-check';
import { Selector } from './selector';
import { checkProps, checkScope, is } from '../core/checks';
import { ValidationError } from '../core/errors';
import { GlobalNetworkSet as CalicoGlobalNetworkSet, NetworkSet as CalicoNetworkSet } from '../imports/calico';
import { checkDnsLabel, checkDnsSubdomain, checkLabelKey, checkLabelValue } from '../validate/rules';

const SET_PROPS = { name: is.string(), nets: is.arrayOf(is.string()), labels: is.labels() };

/** Props of `NetworkSet` and `GlobalNetworkSet`. */
export interface NetworkSetProps {
  /**
   * Object name.
   *
   * @default - derived from the construct id
   */
  readonly name?: string;
  /** The networks: CIDRs or single addresses (IPv4 or IPv6). */
  readonly nets: string[];
  /**
   * Labels; policies select the set by them.
   *
   * @default - `cdk8s-paas.io/network-set: <name>`
   */
  readonly labels?: { [key: string]: string };
}

/** Props of a namespaced `NetworkSet`. */
export interface NamespacedNetworkSetProps extends NetworkSetProps {
  /**
   * Namespace of the set.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/** The label a set gets when no labels are given. */
const SET_LABEL = 'cdk8s-paas.io/network-set';

interface RenderedSet {
  readonly name: string;
  readonly labels: { [k: string]: string };
  readonly obj: ApiObject;
}

function renderSet(scope: Construct, kind: 'NetworkSet' | 'GlobalNetworkSet', props: NetworkSetProps & { namespace?: string }): RenderedSet {
  const c: Checker = new Checker(scope);
  const name = checkDnsSubdomain(scope, 'name', props.name ?? defaultName(scope));
  if (props.namespace !== undefined) checkDnsLabel(scope, 'namespace', props.namespace);
  if (!Array.isArray(props.nets)) c.fail('nets', props.nets, 'must be a list of CIDRs, e.g. ["10.0.0.0/8"]');
  c.nets('nets', props.nets, false);
  const labels = props.labels ?? { [SET_LABEL]: name };
  for (const [k, v] of Object.entries(labels)) {
    if (k === 'projectcalico.org/namespace') {
      c.fail(`labels.${k}`, k, 'is not a valid label name: projectcalico.org/namespace is reserved for Calico\'s own data model');
    }
    checkLabelKey(scope, `labels.${k}`, k);
    checkLabelValue(scope, `labels.${k}`, v);
  }
  const metadata = { name, namespace: props.namespace, labels };
  const spec = { nets: props.nets };
  const obj = kind === 'NetworkSet'
    ? new CalicoNetworkSet(scope, 'Resource', { metadata, spec })
    : new CalicoGlobalNetworkSet(scope, 'Resource', { metadata, spec });
  return { name, labels, obj };
}

function setSelector(labels: { [k: string]: string }, feature: string): Selector {
  const s = Selector.matchLabels(labels);
  CALICO_ONLY_SELECTORS.set(s, feature);
  return s;
}

/**
 * A Calico `NetworkSet`: named networks in a namespace that policies in the
 * same namespace select by label (`Peer.networkSet(set)`).
 */
export class NetworkSet extends Construct {
  /** The set name. */
  public readonly name: string;
  /** The set's labels. */
  public readonly labels: { [key: string]: string };
  /** The underlying manifest object. */
  public readonly apiObject: ApiObject;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: NamespacedNetworkSetProps) {
    super(checkScope(scope, id, 'NetworkSet'), id);
    checkProps(this, 'NetworkSetProps', props, { ...SET_PROPS, namespace: is.string() }, ['nets']);
    const r = renderSet(this, 'NetworkSet', props);
    this.name = r.name;
    this.labels = r.labels;
    this.apiObject = r.obj;
  }

  /** A selector matching this set's labels (a Calico-only "nets by set" peer). */
  public get selector(): Selector {
    return setSelector(this.labels, `nets by set (NetworkSet "${this.name}")`);
  }
}

/**
 * A Calico `GlobalNetworkSet`: named networks for the whole cluster, selected
 * with `namespaceSelector: global()` (`Peer.networkSet(set)`).
 */
export class GlobalNetworkSet extends Construct {
  /** The set name. */
  public readonly name: string;
  /** The set's labels. */
  public readonly labels: { [key: string]: string };
  /** The underlying manifest object. */
  public readonly apiObject: ApiObject;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: NetworkSetProps) {
    super(checkScope(scope, id, 'GlobalNetworkSet'), id);
    if (typeof props === 'object' && props !== null && (props as any).namespace !== undefined) {
      throw ValidationError.of(this, 'namespace', (props as any).namespace, 'is not allowed: a GlobalNetworkSet is cluster-scoped; use NetworkSet');
    }
    checkProps(this, 'NetworkSetProps', props, SET_PROPS, ['nets']);
    const r = renderSet(this, 'GlobalNetworkSet', props);
    this.name = r.name;
    this.labels = r.labels;
    this.apiObject = r.obj;
    if (Chart.of(this).namespace) this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }

  /** A selector matching this set's labels (a Calico-only "nets by set" peer). */
  public get selector(): Selector {
    return setSelector(this.labels, `nets by set (GlobalNetworkSet "${this.name}")`);
  }
}
