import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Clients } from './clients';
import { allowPolicy, objectName } from './policies';
import { WorkloadRef } from './workload';
import { checkProps, checkScope, is } from '../core/checks';
import { ValidationError } from '../core/errors';
import { allowForeignNamespace, tenantNamespaceOf } from '../core/tenant-scope';
import { Warnings } from '../core/warnings';
import { Cidr, formatNetwork, isStrictlyMasked, overlaps, parseCidr } from '../network/cidr';
import { NetworkPolicy } from '../network/network-policy';
import { Port } from '../network/port';
import { Protocol } from '../network/protocol';
import { PolicyType, RuleAction } from '../network/rule';
import { Selector } from '../network/selector';
import { checkDnsLabel, checkDnsSubdomain, checkPort } from '../validate/rules';

/**
 * Props of a `LegacyService`.
 */
export interface LegacyServiceProps {
  /**
   * DNS name of the system (an `ExternalName` Service points at it). Give
   * either `hostname` or `addresses`.
   *
   * @default - none: `addresses` must be set
   */
  readonly hostname?: string;
  /**
   * IP addresses of the system (a selector-less Service with an EndpointSlice).
   * All IPv4 or all IPv6.
   *
   * @default - none: `hostname` must be set
   */
  readonly addresses?: string[];
  /** The port the system listens on. */
  readonly port: number;
  /**
   * The protocol of `port`: TCP, UDP or SCTP.
   *
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
  /**
   * CIDRs the egress policy opens. NetworkPolicy matches IP addresses, not DNS
   * names: with `hostname`, list the addresses it resolves to.
   *
   * @default - each of `addresses` as a /32 (IPv4) or /128 (IPv6)
   */
  readonly egressCidrs?: string[];
  /**
   * The apps allowed to reach the system (TomcatApp, DataService or a cdk8s-plus workload).
   *
   * @default - none yet; add with `allowFrom`
   */
  readonly clients?: IConstruct[];
  /**
   * Name of the Service (clients reach the system at `<name>.<namespace>.svc`).
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the Service.
   *
   * @default - the enclosing Tenant's namespace, else none
   */
  readonly namespace?: string;
}

/** Addresses an EndpointSlice may not hold (Kubernetes' endpoint IP validation), and what they are. */
const SPECIAL_ADDRESSES: Array<[string, string]> = [
  ['0.0.0.0/32', 'is the unspecified address'],
  ['::/128', 'is the unspecified address'],
  ['127.0.0.0/8', 'is a loopback address (127.0.0.0/8)'],
  ['::1/128', 'is the loopback address'],
  ['169.254.0.0/16', 'is a link-local address (169.254.0.0/16)'],
  ['fe80::/10', 'is a link-local address (fe80::/10)'],
  ['224.0.0.0/24', 'is a link-local multicast address (224.0.0.0/24)'],
  ['ff02::/16', 'is a link-local multicast address (ff02::/16)'],
];

/** What is wrong with an endpoint address (undefined when it is usable). */
function endpointProblem(ip: Cidr): string | undefined {
  return SPECIAL_ADDRESSES.find(([net]) => overlaps(ip, parseCidr(net)!))?.[1];
}

/** Prefix lengths at or below which an egress CIDR is broad enough to warn about. */
const BROAD_PREFIX = { 4: 8, 6: 32 };

/**
 * A system that stays outside the cluster (database, message queue,
 * mainframe), reached from inside by a Service name: an `ExternalName` Service
 * for a DNS name, or a selector-less Service with an EndpointSlice
 * (`discovery.k8s.io/v1`) for IP addresses. Only the chosen client apps get an
 * egress policy to it; inside an isolated Tenant nothing else can reach it.
 */
export class LegacyService extends Construct {
  /** The Service. */
  public readonly service: kplus.k8s.KubeService;
  /** The EndpointSlice, when the system is given by IP addresses. */
  public readonly endpointSlice?: kplus.k8s.KubeEndpointSlice;
  /** The egress policies, one per client. */
  public readonly egressPolicies: NetworkPolicy[] = [];
  /** Name of the Service. */
  public readonly name: string;
  /** Namespace of the Service, when set. */
  public readonly namespace?: string;
  /** The port. */
  public readonly port: number;
  /** The CIDRs the egress policies open. */
  public readonly egressCidrs: string[];
  private readonly protocol: Protocol;
  private readonly clients: Clients;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: LegacyServiceProps) {
    super(checkScope(scope, id, 'LegacyService'), id);
    checkProps(this, 'LegacyServiceProps', props, {
      hostname: is.string(),
      addresses: is.arrayOf(is.string()),
      port: is.number({ integer: true }),
      protocol: is.instanceOf(Protocol, 'e.g. Protocol.TCP'),
      egressCidrs: is.arrayOf(is.string()),
      clients: is.arrayOf(is.construct('client')),
      name: is.string(),
      namespace: is.string(),
    }, ['port']);
    this.name = checkDnsLabel(this, props.name === undefined ? 'name (derived from the construct id; set `name`)' : 'name', props.name ?? id.toLowerCase());
    this.namespace = props.namespace !== undefined ? checkDnsLabel(this, 'namespace', props.namespace) : tenantNamespaceOf(this);
    this.port = checkPort(this, 'port', props.port);
    this.protocol = props.protocol ?? Protocol.TCP;
    if (![Protocol.TCP, Protocol.UDP, Protocol.SCTP].some(p => p.name === this.protocol.name)) {
      throw ValidationError.of(this, 'protocol', this.protocol.toString(), 'is not a Service protocol: use Protocol.TCP, Protocol.UDP or Protocol.SCTP');
    }
    if ((props.hostname === undefined) === (props.addresses === undefined)) {
      throw ValidationError.of(this, 'hostname', props.hostname ?? '',
        'and addresses are both set or both missing: give the DNS name of the system (hostname) or its IP addresses (addresses), not both');
    }
    const labels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/component': 'legacy', 'app.kubernetes.io/managed-by': 'cdk8s-paas' };
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const ports = [{ name: 'legacy', port: this.port, protocol: this.protocol.name }];

    if (props.hostname !== undefined) {
      const host = props.hostname;
      if (typeof host === 'string' && !host.includes('/') && parseCidr(host.replace(/\.$/, '')) !== undefined) {
        throw ValidationError.of(this, 'hostname', host,
          'is an IP address: an ExternalName Service needs a DNS name; give IP addresses as `addresses` (a selector-less Service with an EndpointSlice)');
      }
      // a fully qualified name may end with a dot, as the API server accepts; messages show the name as given
      try {
        checkDnsSubdomain(this, 'hostname', typeof host === 'string' ? host.replace(/(.)\.$/, '$1') : host);
      } catch {
        checkDnsSubdomain(this, 'hostname', host);
      }
      this.service = new kplus.k8s.KubeService(this, 'Service', {
        metadata,
        spec: { type: 'ExternalName', externalName: host, ports },
      });
      this.egressCidrs = (props.egressCidrs ?? []).map((c, i) => this.checkCidr(`egressCidrs[${i}]`, c));
      this.node.addValidation({
        validate: () => this.clients.size > 0 && this.egressCidrs.length === 0
          ? [ValidationError.format(this.node.path, 'egressCidrs', [], `must list the addresses "${host}" resolves to: NetworkPolicy matches IP blocks, not DNS names, so its clients could not reach it`)]
          : [],
      });
    } else {
      const addresses = props.addresses!;
      if (addresses.length === 0) throw ValidationError.of(this, 'addresses', addresses, 'must list at least one IP address, e.g. ["10.20.0.15"]');
      const families = addresses.map((a, i) => {
        const ip = typeof a === 'string' && !a.includes('/') ? parseCidr(a) : undefined;
        if (!ip) throw ValidationError.of(this, `addresses[${i}]`, a, 'is not an IP address: expected IPv4 such as "10.20.0.15" or IPv6 such as "fd00::15"');
        const problem = endpointProblem(ip);
        if (problem) {
          throw ValidationError.of(this, `addresses[${i}]`, a,
            `${problem}, which an EndpointSlice may not hold: give an address the system is reachable at from the pods (not loopback, unspecified or link-local)`);
        }
        return ip.version === 4 ? 'IPv4' : 'IPv6';
      });
      if (new Set(families).size > 1) {
        throw ValidationError.of(this, 'addresses', addresses, 'mixes IPv4 and IPv6: an EndpointSlice holds one address family; create one LegacyService per family');
      }
      this.service = new kplus.k8s.KubeService(this, 'Service', {
        metadata,
        spec: { ports: ports.map(p => ({ ...p, targetPort: kplus.k8s.IntOrString.fromNumber(this.port) })) },
      });
      this.endpointSlice = new kplus.k8s.KubeEndpointSlice(this, 'EndpointSlice', {
        metadata: {
          name: objectName(this.name, 'legacy'),
          namespace: this.namespace,
          labels: { ...labels, 'kubernetes.io/service-name': this.name, 'endpointslice.kubernetes.io/managed-by': 'cdk8s-paas' },
        },
        addressType: families[0],
        endpoints: addresses.map(a => ({ addresses: [a], conditions: { ready: true } })),
        ports,
      });
      this.egressCidrs = props.egressCidrs !== undefined
        ? props.egressCidrs.map((c, i) => this.checkCidr(`egressCidrs[${i}]`, c))
        : addresses.map(a => `${a}/${families[0] === 'IPv4' ? 32 : 128}`);
    }

    this.clients = new Clients(this, (w, n) => this.addClientPolicy(w, n));
    this.clients.addAll('clients', props.clients);
  }

  /**
   * Let an app reach the system: an egress policy for its pods to
   * `egressCidrs` on `port`.
   *
   * @param client a TomcatApp, DataService or cdk8s-plus workload
   */
  public allowFrom(client: IConstruct): void {
    this.clients.add('allowFrom', client);
  }

  private addClientPolicy(w: WorkloadRef, n: number): void {
    // one rule per IP version: Calico rejects a rule mixing IPv4 and IPv6 nets
    const byVersion = [this.egressCidrs.filter(c => !c.includes(':')), this.egressCidrs.filter(c => c.includes(':'))].filter(l => l.length > 0);
    // the client's namespace, which may be another tenant's
    const policy = allowPolicy(this, `Egress-${n}`, {
      name: objectName(w.name, 'to', this.name),
      namespace: w.namespace ?? this.namespace,
      selector: Selector.matchLabels(w.matchLabels),
      types: [PolicyType.EGRESS],
      egress: byVersion.map(nets => ({ action: RuleAction.ALLOW, protocol: this.protocol, destination: { nets, ports: [Port.of(this.port)] } })),
    });
    allowForeignNamespace(policy);
    this.egressPolicies.push(policy);
  }

  private checkCidr(field: string, cidr: string): string {
    const c = parseCidr(cidr);
    if (!c || !c.hasMask) {
      throw ValidationError.of(this, field, cidr, 'is not a CIDR: an IP address and a prefix length, e.g. "10.20.0.0/24" or "10.20.0.15/32"');
    }
    if (!isStrictlyMasked(c)) {
      throw ValidationError.of(this, field, cidr, `has host bits set beyond its /${c.prefix} prefix: write the network address, "${formatNetwork(c)}"`);
    }
    if (c.prefix <= BROAD_PREFIX[c.version]) {
      Warnings.add(this, `${field}: "${cidr}" is a /${c.prefix} or broader network: if it overlaps the cluster's pod or service CIDRs, `
        + 'its clients may reach pods and services there that their isolation should keep them from; list the system\'s own addresses', 'cdk8s-paas:legacy-service-broad-cidr');
    }
    return cidr;
  }
}
