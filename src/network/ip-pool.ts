import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { defaultName } from './policy-core';
import { Checker } from './rule-check';
import { Selector } from './selector';
import { checkProps, checkScope, is } from '../core/checks';
import { formatNetwork, isStrictlyMasked, overlaps, parseCidr } from '../core/cidr';
import { IpPool as CalicoIpPool } from '../imports/calico';
import { checkDnsSubdomain } from '../validate/rules';

/** IP-in-IP or VXLAN encapsulation of an IP pool. */
export enum EncapsulationMode {
  /** Never encapsulate. */
  NEVER = 'Never',
  /** Always encapsulate. */
  ALWAYS = 'Always',
  /** Encapsulate only across subnets. */
  CROSS_SUBNET = 'CrossSubnet',
}

/** What addresses of a pool may be used for. */
export enum IpPoolUse {
  /** Pod addresses. */
  WORKLOAD = 'Workload',
  /** Tunnel addresses of nodes. */
  TUNNEL = 'Tunnel',
}

/** Props of an `IpPool`. */
export interface IpPoolProps {
  /**
   * Object name.
   *
   * @default - derived from the construct id
   */
  readonly name?: string;
  /** The pool network, strictly masked, e.g. '10.244.0.0/16'. */
  readonly cidr: string;
  /**
   * Size of the per-node blocks: 20-32 (IPv4) or 116-128 (IPv6); the pool
   * prefix must not be longer when the pool is enabled.
   *
   * @default 26 (IPv4) / 122 (IPv6)
   */
  readonly blockSize?: number;
  /**
   * IP-in-IP encapsulation (IPv4 only).
   *
   * @default EncapsulationMode.NEVER
   */
  readonly ipipMode?: EncapsulationMode;
  /**
   * VXLAN encapsulation; not together with IP-in-IP.
   *
   * @default EncapsulationMode.NEVER
   */
  readonly vxlanMode?: EncapsulationMode;
  /**
   * SNAT traffic leaving the pool for outside destinations.
   *
   * @default false
   */
  readonly natOutgoing?: boolean;
  /**
   * Do not allocate new addresses from the pool.
   *
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Do not export the pool's routes over BGP.
   *
   * @default false
   */
  readonly disableBgpExport?: boolean;
  /**
   * Nodes that allocate from the pool.
   *
   * @default - all nodes
   */
  readonly nodeSelector?: Selector;
  /**
   * Uses of the pool's addresses.
   *
   * @default - [Workload, Tunnel]
   */
  readonly allowedUses?: IpPoolUse[];
}

const MODES = Object.values(EncapsulationMode) as string[];
const USES = Object.values(IpPoolUse) as string[];
const LINK_LOCAL = { 4: parseCidr('169.254.0.0/16')!, 6: parseCidr('fe80::/10')! };
const DEPRECATED = ['ipip', 'nat-outgoing'];

/**
 * A Calico `IPPool` (cluster-scoped), checked as calicoctl checks it.
 */
export class IpPool extends Construct {
  /** The pool name. */
  public readonly name: string;
  /** The pool CIDR. */
  public readonly cidr: string;
  /** The block size in force (explicit or the default for the IP version). */
  public readonly blockSize: number;
  /** The underlying manifest object. */
  public readonly apiObject: ApiObject;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: IpPoolProps) {
    super(checkScope(scope, id, 'IpPool'), id);
    const c: Checker = new Checker(this);
    for (const key of DEPRECATED) {
      if (typeof props === 'object' && props !== null && (props as any)[key] !== undefined) {
        c.fail(key, String((props as any)[key]), `is a deprecated APIv1 field that Calico rejects: use ${key === 'ipip' ? 'ipipMode' : 'natOutgoing'}`);
      }
    }
    checkProps(this, 'IpPoolProps', props, {
      name: is.string(),
      cidr: is.string(),
      blockSize: is.number({ integer: true }),
      // modes and uses get calicoctl's messages from the Checker
      ipipMode: is.any(),
      vxlanMode: is.any(),
      natOutgoing: is.boolean(),
      disabled: is.boolean(),
      disableBgpExport: is.boolean(),
      nodeSelector: is.instanceOf(Selector, 'e.g. Selector.all()'),
      allowedUses: is.arrayOf(is.any()),
    }, ['cidr']);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? defaultName(this));
    if (props.cidr === undefined || props.cidr === '') c.fail('cidr', props.cidr ?? '', 'must be specified: IPPool CIDR must be specified');
    const cidr = parseCidr(props.cidr);
    if (!cidr) c.fail('cidr', props.cidr, 'is not a valid subnet: IPPool CIDR must be a valid subnet, e.g. "10.244.0.0/16" or "fd00:10:244::/64"');
    if (!isStrictlyMasked(cidr)) {
      c.fail('cidr', props.cidr, `is not strictly masked: IP pool CIDR is not strictly masked (host bits are set; did you mean "${formatNetwork(cidr)}"?)`);
    }
    const ipipMode = props.ipipMode ?? EncapsulationMode.NEVER;
    const vxlanMode = props.vxlanMode ?? EncapsulationMode.NEVER;
    if (!MODES.includes(ipipMode)) c.fail('ipipMode', ipipMode, `is not a valid mode: expected one of ${MODES.join(', ')}`);
    if (!MODES.includes(vxlanMode)) c.fail('vxlanMode', vxlanMode, `is not a valid mode: expected one of ${MODES.join(', ')}`);
    if (cidr.version === 6 && ipipMode !== EncapsulationMode.NEVER) {
      c.fail('ipipMode', ipipMode, 'is not supported on an IPv6 pool: IPIPMode other than \'Never\' is not supported on an IPv6 IP pool');
    }
    if (ipipMode !== EncapsulationMode.NEVER && vxlanMode !== EncapsulationMode.NEVER) {
      c.fail('vxlanMode', vxlanMode, `cannot be enabled with ipipMode "${ipipMode}": IPIPMode and VXLANMode cannot both be enabled on the same IP pool`);
    }
    this.blockSize = props.blockSize ?? (cidr.version === 4 ? 26 : 122);
    const [min, max] = cidr.version === 4 ? [20, 32] : [116, 128];
    if (!Number.isInteger(this.blockSize) || this.blockSize < min || this.blockSize > max) {
      c.fail('blockSize', this.blockSize, `is out of range: IPv${cidr.version} block size must be between ${min} and ${max}`);
    }
    if (props.disabled !== true && cidr.prefix > this.blockSize) {
      c.fail('cidr', props.cidr, `is smaller than one block of /${this.blockSize}: IP pool size is too small for use with Calico IPAM. `
        + 'It must be equal to or greater than the block size');
    }
    if (overlaps(cidr, LINK_LOCAL[cidr.version])) {
      c.fail('cidr', props.cidr, `overlaps the IPv${cidr.version} link-local range ${cidr.version === 4 ? '169.254.0.0/16' : 'fe80::/10'}`);
    }
    // IPPool nodeSelector is only parsed (validator tag "selector"), global() is not checked
    const nodeSelector = c.selector('nodeSelector', props.nodeSelector, true);
    (props.allowedUses ?? []).forEach((u, i) => {
      if (!USES.includes(u)) c.fail(`allowedUses[${i}]`, u, `is not a valid use: unknown use; expected ${USES.join(' or ')}`);
      if (props.allowedUses!.indexOf(u) !== i) c.fail(`allowedUses[${i}]`, u, 'is listed more than once');
    });
    this.cidr = props.cidr;
    this.apiObject = new CalicoIpPool(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        cidr: props.cidr,
        blockSize: this.blockSize,
        ipipMode,
        vxlanMode,
        natOutgoing: props.natOutgoing,
        disabled: props.disabled,
        disableBgpExport: props.disableBgpExport,
        nodeSelector,
        allowedUses: props.allowedUses,
      },
    });
    if (Chart.of(this).namespace) this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
