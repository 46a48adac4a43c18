import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { globalNetworkPolicySpec, networkPolicySpec, RenderedGlobalFields, RenderedPolicy } from './calico-policy-l1';
import { NetworkFlavor } from './flavor';
import { calicoOnly, k8sRule, labelSelector } from './k8s-flavor';
import type { PolicyProps } from './network-policy';
import { PolicyRule, PolicyType } from './rule';
import { Checker, renderRule } from './rule-check';
import { dnsLabelFromId } from '../core/names';
import * as calico from '../imports/calico';
import { checkDnsLabel } from '../validate/rules';

// State and rendering shared by NetworkPolicy and GlobalNetworkPolicy (internal).

const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_FMT = `${LABEL_FMT}(\\.${LABEL_FMT})*`;
/** validator.go networkPolicyNameRegex / globalNetworkPolicyNameRegex */
const NP_NAME = new RegExp(`^((${LABEL_FMT})|((?:knp|ossg)\\.default\\.(${SUBDOMAIN_FMT})))$`);
const GNP_NAME = new RegExp(`^(${LABEL_FMT})$`);
const TYPES = Object.values(PolicyType) as string[];
const HINTS = ['AssumeNeededOnEveryNode'];

export interface CoreOptions {
  readonly global: boolean;
  readonly flavor: NetworkFlavor;
  readonly namespace?: string;
  /** Extra spec fields (GlobalNetworkPolicy). */
  readonly extraSpec?: RenderedGlobalFields;
  /** Checks run before an egress rule is added (GlobalNetworkPolicy preDNAT). */
  readonly onEgress?: () => void;
}

/** A name derived from the construct id when none is given. */
export function defaultName(scope: Construct): string {
  return dnsLabelFromId(scope.node.id, 63) || 'policy';
}

export class PolicyCore {
  public readonly name: string;
  public readonly apiObject: ApiObject;
  public readonly checker: Checker;
  private readonly ingress: PolicyRule[] = [];
  private readonly egress: PolicyRule[] = [];
  private readonly finalIngress: PolicyRule[] = [];
  private readonly finalEgress: PolicyRule[] = [];

  public constructor(scope: Construct, private readonly props: PolicyProps, private readonly options: CoreOptions) {
    const c = this.checker = new Checker(scope);
    this.name = props.name ?? defaultName(scope);
    const k8s = options.flavor === NetworkFlavor.KUBERNETES;
    if (k8s) {
      checkDnsSubdomainName(c, this.name);
    } else {
      if (this.name.length > 253) c.fail('name', this.name, `is too long by ${this.name.length - 253} bytes: at most 253 characters`);
      if (!(options.global ? GNP_NAME : NP_NAME).test(this.name)) {
        c.fail('name', this.name, `is not a valid ${options.global ? 'GlobalNetworkPolicy' : 'NetworkPolicy'} name: `
          + `lower-case alphanumerics or '-' (regex: ${LABEL_FMT})${options.global ? '' : ', or knp.default.<name> / ossg.default.<name>'}`);
      }
    }
    if (options.namespace !== undefined) checkDnsLabel(scope, 'namespace', options.namespace);
    if (props.order !== undefined && (typeof props.order !== 'number' || !Number.isFinite(props.order))) {
      c.fail('order', String(props.order), 'is not a valid order: expected a finite number (lower orders apply first)');
    }
    c.selector('selector', props.selector);
    c.selector('serviceAccountSelector', props.serviceAccountSelector);
    if (props.types !== undefined) {
      props.types.forEach((t, i) => {
        if (!TYPES.includes(t)) c.fail(`types[${i}]`, t, 'is not a valid policy type: expected Ingress or Egress');
        if (props.types!.indexOf(t) !== i) c.fail(`types[${i}]`, t, `is invalid: '${t}' type specified more than once`);
      });
    }
    (props.performanceHints ?? []).forEach((h, i, all) => {
      if (!HINTS.includes(h)) c.fail(`performanceHints[${i}]`, h, `is not a valid performance hint: expected ${HINTS.join(', ')}`);
      if (all.indexOf(h) !== i) c.fail(`performanceHints[${i}]`, h, 'is listed more than once: performance hints must be unique');
    });
    if (k8s) {
      if (options.global) calicoOnly(c, 'kind', 'GlobalNetworkPolicy', 'a global (cluster-wide) policy');
      if (props.order !== undefined) calicoOnly(c, 'order', props.order, 'policy order');
      if (props.serviceAccountSelector !== undefined) calicoOnly(c, 'serviceAccountSelector', props.serviceAccountSelector.expression, 'serviceAccountSelector');
      if (props.performanceHints !== undefined) calicoOnly(c, 'performanceHints', props.performanceHints, 'performanceHints');
      labelSelector(c, 'selector', props.selector);
    }

    const metadata = { name: this.name, namespace: options.namespace, labels: props.labels };
    this.apiObject = k8s
      ? new ApiObject(scope, 'Resource', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata,
        spec: Lazy.any({ produce: () => this.renderK8s() }),
      })
      : options.global
        ? new calico.GlobalNetworkPolicy(scope, 'Resource', { metadata, spec: Lazy.any({ produce: () => globalNetworkPolicySpec(this.renderCalico(), options.extraSpec ?? {}) }) })
        : new calico.NetworkPolicy(scope, 'Resource', { metadata, spec: Lazy.any({ produce: () => networkPolicySpec(this.renderCalico()) }) });
    if (options.global && Chart.of(scope).namespace) {
      // cluster-scoped: drop the namespace cdk8s copies from the chart
      this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.add('ingress', props.ingress ?? []);
    this.add('egress', props.egress ?? []);
  }

  public get flavor(): NetworkFlavor {
    return this.options.flavor;
  }

  /** Validate and append rules (eagerly, so the error points at the call). */
  public add(direction: 'ingress' | 'egress', rules: PolicyRule[], final = false): void {
    if (direction === 'egress' && rules.length > 0) this.options.onEgress?.();
    const list = direction === 'ingress' ? this.ingress : this.egress;
    const all = direction === 'ingress' ? [...this.ingress, ...this.finalIngress] : [...this.egress, ...this.finalEgress];
    rules.forEach((r, i) => {
      const field = `${direction}[${all.length + i}]`;
      renderRule(this.checker, field, r, { direction, global: this.options.global });
      if (this.options.flavor === NetworkFlavor.KUBERNETES) k8sRule(this.checker, field, r, direction);
    });
    (final ? (direction === 'ingress' ? this.finalIngress : this.finalEgress) : list).push(...rules);
  }

  public get types(): PolicyType[] {
    if (this.props.types !== undefined) return [...this.props.types];
    const ingress = this.ingress.length + this.finalIngress.length > 0;
    const egress = this.egress.length + this.finalEgress.length > 0;
    if (egress && !ingress) return [PolicyType.EGRESS];
    return egress ? [PolicyType.INGRESS, PolicyType.EGRESS] : [PolicyType.INGRESS];
  }

  public get ingressRules(): PolicyRule[] {
    return [...this.ingress, ...this.finalIngress];
  }

  public get egressRules(): PolicyRule[] {
    return [...this.egress, ...this.finalEgress];
  }

  private renderCalico(): RenderedPolicy {
    const ctx = (direction: 'ingress' | 'egress') => ({ direction, global: this.options.global });
    const ingress = this.ingressRules.map((r, i) => renderRule(this.checker, `ingress[${i}]`, r, ctx('ingress')));
    const egress = this.egressRules.map((r, i) => renderRule(this.checker, `egress[${i}]`, r, ctx('egress')));
    return {
      order: this.props.order,
      selector: this.props.selector?.expression ?? 'all()',
      serviceAccountSelector: this.props.serviceAccountSelector?.expression,
      types: this.types,
      ingress,
      egress,
      performanceHints: this.props.performanceHints,
    };
  }

  private renderK8s(): any {
    const ingress = this.ingressRules.map((r, i) => k8sRule(this.checker, `ingress[${i}]`, r, 'ingress'));
    const egress = this.egressRules.map((r, i) => k8sRule(this.checker, `egress[${i}]`, r, 'egress'));
    return {
      podSelector: labelSelector(this.checker, 'selector', this.props.selector),
      policyTypes: this.types,
      ingress: ingress.length > 0 ? ingress : undefined,
      egress: egress.length > 0 ? egress : undefined,
    };
  }
}

function checkDnsSubdomainName(c: Checker, name: string): void {
  if (name.length > 253 || !new RegExp(`^${SUBDOMAIN_FMT}$`).test(name)) {
    c.fail('name', name, 'is not a valid NetworkPolicy name: a DNS-1123 subdomain (lower-case alphanumerics, "-" and ".")');
  }
}
