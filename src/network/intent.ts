import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Peer } from './peer';
import { Port } from './port';
import { Protocol } from './protocol';
import { checkPropsObject, checkScope } from '../core/checks';
import { ValidationError } from '../core/errors';
import { ReachModel, ReachPeer, ReachVerdict } from '../reach/model';

/** What a network intent expects. */
export enum IntentExpectation {
  /** The source can open a connection to the destination (on the port, when given). */
  REACHABLE = 'reachable',
  /** The source can open no connection to the destination, on any port the model tries. */
  ISOLATED = 'isolated',
}

/** Props of `NetworkIntent`. */
export interface NetworkIntentProps {
  /** Who opens the connection. */
  readonly from: Peer;
  /** Who accepts it. */
  readonly to: Peer;
  /** Reachable or isolated. */
  readonly expect: IntentExpectation;
  /**
   * Destination port (reachable intents).
   *
   * @default - some port
   */
  readonly port?: Port;
  /**
   * Protocol.
   *
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * The namespace of peers given without one (a pod selector alone).
   *
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;
  /**
   * What to do when the intent fails (appended to the error).
   *
   * @default - none
   */
  readonly hint?: string;
  /**
   * Fail when a peer stands for no endpoint the model can make (e.g. a
   * namespace selector no Namespace among the manifests matches). Presets
   * pass false: their promise then holds vacuously.
   *
   * @default true
   */
  readonly requireEndpoints?: boolean;
}

// one model per root and validation pass: validations run synchronously, so a
// microtask clears the cache once the pass is over
const models = new WeakMap<IConstruct, ReachModel>();

function modelOf(root: IConstruct): ReachModel {
  let m = models.get(root);
  if (!m) {
    const manifests = root.node.findAll().filter(ApiObject.isApiObject).map(o => (o as ApiObject).toJson());
    m = ReachModel.fromManifests(manifests);
    models.set(root, m);
    queueMicrotask(() => models.delete(root));
  }
  return m;
}

function reachPeer(peer: Peer, namespace: string): ReachPeer {
  const e = peer.entity;
  return {
    selector: e.selector?.expression,
    namespaceSelector: e.namespaceSelector?.expression,
    nets: e.nets,
    namespace,
  };
}

function explain(v: ReachVerdict): string {
  return v.steps.map(s => `${s.direction} ${s.policy}${s.rule ? ` ${s.rule}` : ''}: ${s.action} (${s.reason})`).join('; ');
}

/**
 * A network intent checked at synth: the reachability model
 * (`ReachModel`) of every ApiObject of the app must show the source
 * reaching (or not reaching) the destination. A violated intent fails
 * `app.synth()` with the path of policies that decided.
 */
export class NetworkIntent extends Construct {
  /** The intent's props. */
  public readonly props: NetworkIntentProps;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the intent
   */
  public constructor(scope: Construct, id: string, props: NetworkIntentProps) {
    super(checkScope(scope, id, 'NetworkIntent'), id);
    checkPropsObject(this, 'NetworkIntentProps', props);
    this.props = props;
    this.node.addValidation({ validate: () => this.check() });
  }

  /** The failures of the intent under the current output (empty when it holds). */
  public check(): string[] {
    const p = this.props;
    const namespace = p.namespace ?? Chart.of(this).namespace ?? 'default';
    const model = modelOf(this.node.root);
    const sources = model.resolve(reachPeer(p.from, namespace));
    const destinations = model.resolve(reachPeer(p.to, namespace));
    const protocol = p.protocol?.toString() ?? 'TCP';
    const what = `${p.from.description} -> ${p.to.description}${p.port ? ` on ${p.port}` : ''}/${protocol}`;
    const field = p.expect === IntentExpectation.REACHABLE ? 'expectReachable' : 'expectIsolated';
    const hint = p.hint ? `; ${p.hint}` : '';
    if (sources.length === 0 || destinations.length === 0) {
      if (p.requireEndpoints === false) return [];
      return [ValidationError.format(this.node.path, field, what, `names no endpoint the model can stand for (${sources.length === 0 ? 'source' : 'destination'}): `
        + 'use a peer with a namespace and a selector of equalities, or nets')];
    }
    const errors: string[] = [];
    for (const s of sources) {
      for (const d of destinations) {
        if (s.id === d.id) continue;
        if (p.expect === IntentExpectation.REACHABLE) {
          const v = model.check(s.id, d.id, { port: p.port?.min, protocol });
          if (!v.allowed) {
            errors.push(ValidationError.format(this.node.path, field, what,
              `is not reachable: ${s.id} -> ${d.id} is denied by ${v.decidedBy.join(', ')}. Path: ${explain(v)}${hint}`));
          }
        } else {
          for (const proto of p.protocol ? [protocol] : ['TCP', 'UDP']) {
            const v = model.check(s.id, d.id, { protocol: proto });
            if (v.allowed) {
              errors.push(ValidationError.format(this.node.path, field, what,
                `is not isolated: ${s.id} -> ${d.id} ${v.port}/${v.protocol} is allowed by ${v.decidedBy.join(', ')}. Path: ${explain(v)}${hint}`));
            }
          }
        }
      }
    }
    return errors;
  }
}
