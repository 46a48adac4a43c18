import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkDefaults, NetworkFlavor } from './flavor';
import { IntentExpectation, NetworkIntent } from './intent';
import { calicoOnly } from './k8s-flavor';
import { GlobalNetworkPolicy, NetworkPolicy, NetworkPolicyProps } from './network-policy';
import { NAMESPACE_NAME_LABEL, Peer } from './peer';
import { Port } from './port';
import { Protocol } from './protocol';
import { EntityRule, PolicyRule, PolicyType, RuleAction } from './rule';
import { Checker } from './rule-check';
import { Selector } from './selector';
import { ValidationError } from '../core/errors';
import { IWorkloadTarget } from '../core/workload-target';
import { checkDnsLabel, checkLabelValue } from '../validate/rules';

/** Default orders of the presets: lower applies first. */
export class PresetOrder {
  /**
   * AppNetwork.allowFrom: an exception for one app, so it comes before the
   * app's isolated group (whose closing Deny would otherwise drop it).
   */
  public static readonly APP_EXCEPTION = 50;
  /** IsolatedGroup: its closing Deny must come before namespace-wide allows. */
  public static readonly ISOLATED_GROUP = 100;
  /** AllowFromIngressController and AppNetwork.allowFrom: exceptions before the namespace's Deny. */
  public static readonly EXCEPTION = 500;
  /** NamespaceIsolation. */
  public static readonly NAMESPACE_ISOLATION = 1000;
  /** ClusterDefaultDeny: last. */
  public static readonly CLUSTER_DEFAULT_DENY = 2000;

  private constructor() {}
}

/** Where the cluster DNS runs. */
export interface DnsTarget {
  /**
   * Namespace of the DNS pods.
   *
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * The DNS pods.
   *
   * @default Selector.label('k8s-app').equalTo('kube-dns') (CoreDNS and kube-dns)
   */
  readonly selector?: Selector;
}

function dnsRules(dns: DnsTarget = {}): PolicyRule[] {
  const destination: EntityRule = {
    selector: dns.selector ?? Selector.label('k8s-app').equalTo('kube-dns'),
    namespaceSelector: Peer.namespaceSelector(dns.namespace ?? 'kube-system'),
    ports: [Port.of(53)],
  };
  return [Protocol.UDP, Protocol.TCP].map(protocol => ({ action: RuleAction.ALLOW, protocol, destination }));
}

/** Props common to the namespaced presets. */
export interface PresetProps {
  /**
   * Namespace of the policy.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Calico or plain Kubernetes policies.
   *
   * @default - NetworkDefaults.flavorOf(scope)
   */
  readonly flavor?: NetworkFlavor;
  /**
   * Order of the Calico policy (ignored by the Kubernetes flavor).
   *
   * @default - the preset's PresetOrder
   */
  readonly order?: number;
  /**
   * Policy name.
   *
   * @default - derived from the construct id
   */
  readonly name?: string;
}

/** Declares a preset's promise: checked by the reachability model at synth. */
function promise(scope: Construct, from: Peer, to: Peer, port: Port | undefined, protocol: Protocol | undefined, hint: string,
  namespace?: string): NetworkIntent {
  const n = scope.node.children.filter(c => c instanceof NetworkIntent).length;
  return new NetworkIntent(scope, `Intent${n}`, { from, to, port, protocol, expect: IntentExpectation.REACHABLE, hint, namespace, requireEndpoints: false });
}

function presetPolicy(scope: Construct, props: PresetProps, defaultOrder: number, extra: Pick<NetworkPolicyProps, 'selector' | 'types'>): NetworkPolicy {
  const flavor = props.flavor ?? NetworkDefaults.flavorOf(scope);
  return new NetworkPolicy(scope, 'Policy', {
    name: props.name ?? `${scope.node.id}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, ''),
    namespace: props.namespace,
    flavor,
    order: flavor === NetworkFlavor.CALICO ? props.order ?? defaultOrder : undefined,
    ...extra,
  });
}

function withPorts(peer: Peer, ports: Port[] | undefined, protocol: Protocol | undefined, direction: 'ingress' | 'egress'): PolicyRule {
  const proto = ports && ports.length > 0 ? protocol ?? Protocol.TCP : protocol;
  return direction === 'ingress'
    ? { action: RuleAction.ALLOW, protocol: proto, source: peer.entity, destination: ports?.length ? { ports } : undefined }
    : { action: RuleAction.ALLOW, protocol: proto, destination: { ...peer.entity, ports: ports?.length ? ports : undefined } };
}

/** Props of `NamespaceIsolation`. */
export interface NamespaceIsolationProps extends PresetProps {
  /**
   * The pods isolated (the others are left alone).
   *
   * @default Selector.all() (every pod of the namespace)
   */
  readonly selector?: Selector;
  /**
   * Allow egress to the cluster DNS.
   *
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * Where the cluster DNS runs.
   *
   * @default - k8s-app == "kube-dns" in kube-system
   */
  readonly dns?: DnsTarget;
  /**
   * Networks pods may also reach (e.g. a database subnet, the internet as '0.0.0.0/0').
   *
   * @default - none
   */
  readonly egressNets?: string[];
}

/**
 * Namespace isolation: pods of the namespace reach each other, other
 * namespaces are shut out (both directions), DNS egress is allowed.
 *
 * Calico: one NetworkPolicy (order 1000) over `all()` with Allow rules and a
 * closing Deny. Kubernetes flavor: the same allows; the rest is dropped
 * because the policy selects every pod.
 */
export class NamespaceIsolation extends Construct {
  /** The policy. */
  public readonly policy: NetworkPolicy;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: NamespaceIsolationProps = {}) {
    super(scope, id);
    this.policy = presetPolicy(this, props, PresetOrder.NAMESPACE_ISOLATION, {
      selector: props.selector, types: [PolicyType.INGRESS, PolicyType.EGRESS],
    });
    const sameNamespace: EntityRule = { selector: Selector.all() };
    this.policy.addIngress({ action: RuleAction.ALLOW, source: sameNamespace });
    this.policy.addEgress({ action: RuleAction.ALLOW, destination: sameNamespace });
    if (props.allowDns ?? true) {
      this.policy.addEgress(...dnsRules(props.dns));
      const dns = Peer.pods(props.dns?.selector ?? Selector.label('k8s-app').equalTo('kube-dns'), props.dns?.namespace ?? 'kube-system');
      promise(this, Peer.pods(props.selector ?? Selector.all(), this.policy.namespace), dns, Port.of(53), Protocol.UDP,
        'the namespace\'s pods must resolve names: a policy ordered before the isolation denies DNS', this.policy.namespace);
    }
    if (props.egressNets?.length) this.policy.addEgress({ action: RuleAction.ALLOW, destination: { nets: props.egressNets } });
    if (this.policy.flavor === NetworkFlavor.CALICO) {
      this.policy._addFinal('ingress', { action: RuleAction.DENY });
      this.policy._addFinal('egress', { action: RuleAction.DENY });
    }
  }

  /**
   * Let the namespace's pods open connections to a peer outside it (added
   * before the closing Deny).
   *
   * @param peer the destination
   * @param ports destination ports (TCP unless `protocol`)
   * @param protocol the protocol
   */
  public allowEgressTo(peer: Peer, ports?: Port[], protocol?: Protocol): void {
    this.policy.addEgress(withPorts(peer, ports, protocol, 'egress'));
  }

  /**
   * Let a peer outside the namespace open connections to every pod of it.
   *
   * @param peer the source
   * @param ports destination ports (TCP unless `protocol`)
   * @param protocol the protocol
   */
  public allowIngressFrom(peer: Peer, ports?: Port[], protocol?: Protocol): void {
    this.policy.addIngress(withPorts(peer, ports, protocol, 'ingress'));
  }
}

/** A peer of an isolated group and the ports it may reach. */
export interface GroupPeer {
  /** Who may connect. */
  readonly peer: Peer;
  /**
   * Ports of the group it may connect to.
   *
   * @default - the group's `ports`
   */
  readonly ports?: Port[];
}

/** Props of `IsolatedGroup`. */
export interface IsolatedGroupProps extends PresetProps {
  /**
   * The group name: members carry the label `cdk8s-paas.io/isolation-group: <group>`.
   *
   * @default - the construct id
   */
  readonly group?: string;
  /**
   * Further members, selected by their labels (ORed with the group label).
   *
   * @default - only pods carrying the group label
   */
  readonly selector?: Selector;
  /**
   * Who may reach the group.
   *
   * @default - nobody but the group itself
   */
  readonly peers?: GroupPeer[];
  /**
   * Ports peers may reach, unless a peer lists its own.
   *
   * @default - every port
   */
  readonly ports?: Port[];
  /**
   * Let members reach each other.
   *
   * @default true
   */
  readonly allowWithinGroup?: boolean;
}

/** The label that puts a pod into an isolated group. */
export const ISOLATION_GROUP_LABEL = 'cdk8s-paas.io/isolation-group';

/**
 * An isolated group: a label-selected set of pods reachable only from the
 * listed peers, on the listed ports. Everything else, including the rest of
 * the namespace, is denied (a Calico NetworkPolicy of order 100 ending in
 * Deny). Calico only: Kubernetes policies cannot deny what another allows.
 */
export class IsolatedGroup extends Construct {
  /** The group name (value of the group label). */
  public readonly group: string;
  /** The members: the group label, or the extra selector. */
  public readonly selector: Selector;
  /** The policy. */
  public readonly policy: NetworkPolicy;
  private readonly ports?: Port[];

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: IsolatedGroupProps = {}) {
    super(scope, id);
    this.group = checkLabelValue(this, 'group', props.group ?? id.toLowerCase().replace(/[^a-z0-9-]+/g, '-'));
    const flavor = props.flavor ?? NetworkDefaults.flavorOf(this);
    if (flavor === NetworkFlavor.KUBERNETES) {
      calicoOnly(new Checker(this), 'flavor', flavor, 'an isolated group (it needs an ordered Deny rule ahead of namespace-wide allows)');
    }
    const byLabel = Selector.label(ISOLATION_GROUP_LABEL).equalTo(this.group);
    this.selector = props.selector ? byLabel.or(props.selector) : byLabel;
    this.ports = props.ports;
    this.policy = presetPolicy(this, props, PresetOrder.ISOLATED_GROUP, { selector: this.selector, types: [PolicyType.INGRESS] });
    if (props.allowWithinGroup ?? true) this.policy.addIngress({ action: RuleAction.ALLOW, source: { selector: this.selector } });
    for (const p of props.peers ?? []) this.addPeer(p.peer, p.ports);
    this.policy._addFinal('ingress', { action: RuleAction.DENY });
  }

  /**
   * Let a peer reach the group.
   *
   * @param peer who may connect
   * @param ports ports of the group (TCP)
   */
  public addPeer(peer: Peer, ports?: Port[]): void {
    const p = ports ?? this.ports;
    this.policy.addIngress(withPorts(peer, p, undefined, 'ingress'));
    promise(this, peer, Peer.pods(this.selector, this.policy.namespace), p?.[0], p?.length ? Protocol.TCP : undefined,
      'the peer\'s own namespace policies must also let it open the connection (e.g. NamespaceIsolation.allowEgressTo)', this.policy.namespace);
  }

  /**
   * Put a workload such as a TomcatApp into the group: its pods get the group label.
   *
   * @param app the app (in the group's namespace)
   */
  public addApp(app: IWorkloadTarget): void {
    const ns = appNamespace(app);
    if (ns !== this.policy.namespace) {
      throw ValidationError.of(this, `addApp(${app.node.path})`, ns ?? '',
        `is not the group's namespace "${this.policy.namespace ?? ''}": the group's policy only selects pods of its own namespace; `
        + 'create the group in the app\'s namespace');
    }
    app.deployment.podMetadata.addLabel(ISOLATION_GROUP_LABEL, this.group);
  }
}

/** Props of `ClusterDefaultDeny`. */
export interface ClusterDefaultDenyProps {
  /**
   * Policy name.
   *
   * @default 'default-deny'
   */
  readonly name?: string;
  /**
   * Order: after every namespace policy.
   *
   * @default PresetOrder.CLUSTER_DEFAULT_DENY (2000)
   */
  readonly order?: number;
  /**
   * Namespaces exempt from the deny (the control plane and the network itself).
   *
   * @default ['kube-system', 'kube-public', 'kube-node-lease', 'calico-system', 'calico-apiserver', 'tigera-operator']
   */
  readonly controlPlaneNamespaces?: string[];
  /**
   * Namespaces of the cluster services tenants talk to, also exempt: the
   * ingress controller (it must reach the apps and be reached from outside)
   * and monitoring (Prometheus scrapes the apps). `AllowFromIngressController`
   * and `AppNetwork.allowFrom(app, Peer.namespace('monitoring'))` need them.
   *
   * @default ['ingress-nginx', 'monitoring']
   */
  readonly exemptNamespaces?: string[];
  /**
   * Allow egress to the cluster DNS.
   *
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * Where the cluster DNS runs.
   *
   * @default - k8s-app == "kube-dns" in kube-system
   */
  readonly dns?: DnsTarget;
  /**
   * Allow egress to the Kubernetes API server (the `kubernetes` Service in `default`).
   *
   * @default true
   */
  readonly allowApiServer?: boolean;
}

/**
 * A cluster-wide default deny: a GlobalNetworkPolicy over the pods of every
 * namespace except the control plane's, denying ingress and egress except
 * DNS and the API server. Namespace policies (lower order) open what each
 * tenant needs. Calico only.
 */
export class ClusterDefaultDeny extends Construct {
  /** The policy. */
  public readonly policy: GlobalNetworkPolicy;
  /** The exempt control-plane namespaces. */
  public readonly controlPlaneNamespaces: string[];
  /** The exempt namespaces of cluster services (ingress controller, monitoring). */
  public readonly exemptNamespaces: string[];

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: ClusterDefaultDenyProps = {}) {
    super(scope, id);
    this.controlPlaneNamespaces = props.controlPlaneNamespaces
      ?? ['kube-system', 'kube-public', 'kube-node-lease', 'calico-system', 'calico-apiserver', 'tigera-operator'];
    this.controlPlaneNamespaces.forEach((n, i) => checkDnsLabel(this, `controlPlaneNamespaces[${i}]`, n));
    this.exemptNamespaces = props.exemptNamespaces ?? ['ingress-nginx', 'monitoring'];
    this.exemptNamespaces.forEach((n, i) => checkDnsLabel(this, `exemptNamespaces[${i}]`, n));
    const exempt = [...new Set([...this.controlPlaneNamespaces, ...this.exemptNamespaces])];
    this.policy = new GlobalNetworkPolicy(this, 'Policy', {
      name: props.name ?? 'default-deny',
      order: props.order ?? PresetOrder.CLUSTER_DEFAULT_DENY,
      // only workload endpoints of non-control-plane namespaces: host endpoints are never selected
      namespaceSelector: Selector.label(NAMESPACE_NAME_LABEL).notIn(exempt),
      selector: Selector.all(),
      types: [PolicyType.INGRESS, PolicyType.EGRESS],
    });
    if (props.allowDns ?? true) this.policy.addEgress(...dnsRules(props.dns));
    if (props.allowApiServer ?? true) {
      this.policy.addEgress({ action: RuleAction.ALLOW, destination: { services: { name: 'kubernetes', namespace: 'default' } } });
    }
    this.policy._addFinal('ingress', { action: RuleAction.DENY });
    this.policy._addFinal('egress', { action: RuleAction.DENY });
  }
}

/** Props of `AllowFromIngressController`. */
export interface AllowFromIngressControllerProps extends PresetProps {
  /**
   * The pods the controller may reach.
   *
   * @default Selector.all() (every pod of the namespace)
   */
  readonly selector?: Selector;
  /**
   * Namespace of the ingress controller.
   *
   * @default 'ingress-nginx'
   */
  readonly controllerNamespace?: string;
  /**
   * The ingress controller pods.
   *
   * @default Selector.label('app.kubernetes.io/name').equalTo('ingress-nginx')
   */
  readonly controllerSelector?: Selector;
  /**
   * Ports the controller may reach (TCP).
   *
   * @default - every port
   */
  readonly ports?: Port[];
}

/**
 * Allow from the ingress controller: its pods may reach the selected pods
 * (order 500, before a namespace isolation's Deny).
 */
export class AllowFromIngressController extends Construct {
  /** The policy. */
  public readonly policy: NetworkPolicy;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: AllowFromIngressControllerProps = {}) {
    super(scope, id);
    this.policy = presetPolicy(this, props, PresetOrder.EXCEPTION, { selector: props.selector, types: [PolicyType.INGRESS] });
    const controller = Peer.pods(props.controllerSelector ?? Selector.label('app.kubernetes.io/name').equalTo('ingress-nginx'),
      props.controllerNamespace ?? 'ingress-nginx');
    this.policy.addIngress(withPorts(controller, props.ports, undefined, 'ingress'));
    promise(this, controller, Peer.pods(props.selector ?? Selector.all(), this.policy.namespace), props.ports?.[0], Protocol.TCP,
      'a ClusterDefaultDeny must exempt the controller\'s namespace (exemptNamespaces); an isolated group or an earlier Deny '
      + 'selecting the pods takes precedence over this namespace-wide allow (narrow `selector` to the pods the controller serves)', this.policy.namespace);
  }
}

/** Options of `AppNetwork.allowFrom`. */
export interface AllowFromOptions {
  /**
   * Ports of the app the peer may reach (TCP).
   *
   * @default - the Tomcat container port (8080)
   */
  readonly ports?: Port[];
  /**
   * Order of the Calico policy.
   *
   * @default PresetOrder.APP_EXCEPTION (50): before the app's isolated group
   */
  readonly order?: number;
  /**
   * Calico or plain Kubernetes policy.
   *
   * @default - NetworkDefaults.flavorOf(app)
   */
  readonly flavor?: NetworkFlavor;
}

/** Options of `AppNetwork.expectReachable`. */
export interface ExpectReachableOptions {
  /**
   * The app's port.
   *
   * @default - some port
   */
  readonly port?: Port;
  /**
   * The protocol.
   *
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

function appNamespace(app: IWorkloadTarget): string | undefined {
  return app.namespace ?? Chart.of(app).namespace;
}

/**
 * One-line network access for TomcatApps.
 */
export class AppNetwork {
  /**
   * Let a peer reach the app's port: a NetworkPolicy in the app's namespace,
   * selecting exactly the app's pods, added under the app.
   *
   * @param app the app
   * @param peer who may connect
   * @param options ports, order, flavor
   */
  public static allowFrom(app: IWorkloadTarget, peer: Peer, options: AllowFromOptions = {}): NetworkPolicy {
    const n = app.node.children.filter(c => c instanceof NetworkPolicy).length;
    const flavor = options.flavor ?? NetworkDefaults.flavorOf(app);
    const ports = options.ports ?? [Port.of(app.container.portNumber ?? 8080)];
    const policy = new NetworkPolicy(app, `AllowFrom${n}`, {
      name: `${app.name}-allow-${n}`,
      namespace: app.namespace,
      flavor,
      order: flavor === NetworkFlavor.CALICO ? options.order ?? PresetOrder.APP_EXCEPTION : undefined,
      selector: Peer.appSelector(app),
      types: [PolicyType.INGRESS],
      ingress: [withPorts(peer, ports, undefined, 'ingress')],
    });
    promise(policy, peer, Peer.app(app), ports[0], Protocol.TCP,
      'an allow ordered after a Deny that selects the app (an isolated group, a hand-written policy) admits nothing: lower its order '
      + '(Calico evaluates Kubernetes NetworkPolicies at order 1000: use the Calico flavor); '
      + 'the peer\'s namespace must also let it leave (NamespaceIsolation.allowEgressTo, ClusterDefaultDeny exemptNamespaces)', appNamespace(app));
    return policy;
  }

  /**
   * Declare that a peer reaches the app (on a port): checked at
   * `app.synth()` by the reachability model; when the policies deny it,
   * synth fails with the path of policies that decided.
   *
   * @param from who opens the connection
   * @param to the app
   * @param options port and protocol
   */
  public static expectReachable(from: Peer, to: IWorkloadTarget, options: ExpectReachableOptions = {}): NetworkIntent {
    return AppNetwork.intent(from, to, IntentExpectation.REACHABLE, options.port, options.protocol);
  }

  /**
   * Declare that a peer cannot reach the app on any port: checked at
   * `app.synth()`; when a policy allows it, synth fails with the path.
   *
   * @param from the peer
   * @param to the app
   */
  public static expectIsolated(from: Peer, to: IWorkloadTarget): NetworkIntent {
    return AppNetwork.intent(from, to, IntentExpectation.ISOLATED);
  }

  /**
   * Put the app into an isolated group (same as `group.addApp(app)`).
   *
   * @param app the app
   * @param group the group
   */
  public static isolate(app: IWorkloadTarget, group: IsolatedGroup): void {
    group.addApp(app);
  }

  private static intent(from: Peer, to: IWorkloadTarget, expect: IntentExpectation, port?: Port, protocol?: Protocol): NetworkIntent {
    const n = to.node.children.filter(c => c instanceof NetworkIntent).length;
    return new NetworkIntent(to, `Intent${n}`, { from, to: Peer.app(to), expect, port, protocol, namespace: appNamespace(to) });
  }

  private constructor() {}
}
