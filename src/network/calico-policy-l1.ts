import * as calico from '../imports/calico';

// Rendered Calico rules (the JSON of rule-check's renderRule) as the generated
// L1 types of src/imports/calico.ts (internal). The L1 classes map typed
// fields back to the API's JSON names (notIcmp -> notICMP, preDnat -> preDNAT)
// and unwrap the int-or-string ports and protocols.

/** The int-or-string class of one field (the L1's `fromNumber`/`fromString`). */
interface IntOrString<T> {
  fromNumber(value: number): T;
  fromString(value: string): T;
}

/** The int-or-string classes of one rule type (ingress or egress, of a NetworkPolicy or GlobalNetworkPolicy). */
interface RuleClasses<P, NP, SP, SNP, DP, DNP> {
  readonly protocol: IntOrString<P>;
  readonly notProtocol: IntOrString<NP>;
  readonly sourcePorts: IntOrString<SP>;
  readonly sourceNotPorts: IntOrString<SNP>;
  readonly destinationPorts: IntOrString<DP>;
  readonly destinationNotPorts: IntOrString<DNP>;
}

function intOrString<T>(cls: IntOrString<T>, value: number | string | undefined): T | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? cls.fromNumber(value) : cls.fromString(value);
}

function entity<Ports, NotPorts>(json: any, ports: IntOrString<Ports>, notPorts: IntOrString<NotPorts>) {
  if (json === undefined) return undefined;
  return {
    ...json,
    ports: json.ports?.map((p: number | string) => intOrString(ports, p)),
    notPorts: json.notPorts?.map((p: number | string) => intOrString(notPorts, p)),
  };
}

function rule<P, NP, SP, SNP, DP, DNP>(json: any, cls: RuleClasses<P, NP, SP, SNP, DP, DNP>) {
  const { notICMP, protocol, notProtocol, source, destination, ...rest } = json;
  return {
    ...rest,
    notIcmp: notICMP,
    protocol: intOrString(cls.protocol, protocol),
    notProtocol: intOrString(cls.notProtocol, notProtocol),
    source: entity(source, cls.sourcePorts, cls.sourceNotPorts),
    destination: entity(destination, cls.destinationPorts, cls.destinationNotPorts),
  };
}

const NP_INGRESS = {
  protocol: calico.NetworkPolicySpecIngressProtocol,
  notProtocol: calico.NetworkPolicySpecIngressNotProtocol,
  sourcePorts: calico.NetworkPolicySpecIngressSourcePorts,
  sourceNotPorts: calico.NetworkPolicySpecIngressSourceNotPorts,
  destinationPorts: calico.NetworkPolicySpecIngressDestinationPorts,
  destinationNotPorts: calico.NetworkPolicySpecIngressDestinationNotPorts,
};
const NP_EGRESS = {
  protocol: calico.NetworkPolicySpecEgressProtocol,
  notProtocol: calico.NetworkPolicySpecEgressNotProtocol,
  sourcePorts: calico.NetworkPolicySpecEgressSourcePorts,
  sourceNotPorts: calico.NetworkPolicySpecEgressSourceNotPorts,
  destinationPorts: calico.NetworkPolicySpecEgressDestinationPorts,
  destinationNotPorts: calico.NetworkPolicySpecEgressDestinationNotPorts,
};
const GNP_INGRESS = {
  protocol: calico.GlobalNetworkPolicySpecIngressProtocol,
  notProtocol: calico.GlobalNetworkPolicySpecIngressNotProtocol,
  sourcePorts: calico.GlobalNetworkPolicySpecIngressSourcePorts,
  sourceNotPorts: calico.GlobalNetworkPolicySpecIngressSourceNotPorts,
  destinationPorts: calico.GlobalNetworkPolicySpecIngressDestinationPorts,
  destinationNotPorts: calico.GlobalNetworkPolicySpecIngressDestinationNotPorts,
};
const GNP_EGRESS = {
  protocol: calico.GlobalNetworkPolicySpecEgressProtocol,
  notProtocol: calico.GlobalNetworkPolicySpecEgressNotProtocol,
  sourcePorts: calico.GlobalNetworkPolicySpecEgressSourcePorts,
  sourceNotPorts: calico.GlobalNetworkPolicySpecEgressSourceNotPorts,
  destinationPorts: calico.GlobalNetworkPolicySpecEgressDestinationPorts,
  destinationNotPorts: calico.GlobalNetworkPolicySpecEgressDestinationNotPorts,
};

/** The fields both policy kinds share, rendered. */
export interface RenderedPolicy {
  readonly order?: number;
  readonly selector: string;
  readonly serviceAccountSelector?: string;
  readonly types: string[];
  readonly ingress: any[];
  readonly egress: any[];
  readonly performanceHints?: string[];
}

/** The GlobalNetworkPolicy-only fields, rendered. */
export interface RenderedGlobalFields {
  readonly namespaceSelector?: string;
  readonly doNotTrack?: boolean;
  readonly preDNAT?: boolean;
  readonly applyOnForward?: boolean;
}

const nonEmpty = <T>(list: T[]): T[] | undefined => list.length > 0 ? list : undefined;

/** The spec fields of both kinds that need no mapping. */
function common(p: RenderedPolicy) {
  return {
    order: p.order, selector: p.selector, serviceAccountSelector: p.serviceAccountSelector, types: p.types, performanceHints: p.performanceHints,
  };
}

/** A namespaced NetworkPolicy's spec as the L1 type. */
export function networkPolicySpec(p: RenderedPolicy): calico.NetworkPolicySpec {
  return {
    ...common(p),
    ingress: nonEmpty(p.ingress.map((r): calico.NetworkPolicySpecIngress => rule(r, NP_INGRESS))),
    egress: nonEmpty(p.egress.map((r): calico.NetworkPolicySpecEgress => rule(r, NP_EGRESS))),
  };
}

/** A GlobalNetworkPolicy's spec as the L1 type. */
export function globalNetworkPolicySpec(p: RenderedPolicy, g: RenderedGlobalFields): calico.GlobalNetworkPolicySpec {
  return {
    ...common(p),
    namespaceSelector: g.namespaceSelector,
    doNotTrack: g.doNotTrack,
    preDnat: g.preDNAT,
    applyOnForward: g.applyOnForward,
    ingress: nonEmpty(p.ingress.map((r): calico.GlobalNetworkPolicySpecIngress => rule(r, GNP_INGRESS))),
    egress: nonEmpty(p.egress.map((r): calico.GlobalNetworkPolicySpecEgress => rule(r, GNP_EGRESS))),
  };
}
