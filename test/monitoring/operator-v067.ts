// The prometheus-operator v0.67 fields (Documentation/api.md of v0.67.x) that
// cdk8s-paas may emit, per kind. The shipped CRDs are v0.93, which also accept
// newer fields (e.g. keep_firing_for, scrapeProtocols): output must stay inside
// this older set so that it applies on a Kubernetes 1.27-generation operator.
const V067: { [kind: string]: Set<string> } = {
  PrometheusRule: new Set([
    'spec', 'spec.groups', 'spec.groups[]', 'spec.groups[].name', 'spec.groups[].interval', 'spec.groups[].rules',
    'spec.groups[].rules[]', 'spec.groups[].rules[].alert', 'spec.groups[].rules[].expr', 'spec.groups[].rules[].for',
    'spec.groups[].rules[].labels', 'spec.groups[].rules[].labels.*', 'spec.groups[].rules[].annotations', 'spec.groups[].rules[].annotations.*',
  ]),
  ServiceMonitor: new Set([
    'spec', 'spec.selector', 'spec.selector.matchLabels', 'spec.selector.matchLabels.*', 'spec.namespaceSelector', 'spec.namespaceSelector.matchNames',
    'spec.namespaceSelector.matchNames[]', 'spec.endpoints', 'spec.endpoints[]', 'spec.endpoints[].port', 'spec.endpoints[].path',
    'spec.endpoints[].interval', 'spec.endpoints[].scrapeTimeout',
  ]),
  PodMonitor: new Set([
    'spec', 'spec.selector', 'spec.selector.matchLabels', 'spec.selector.matchLabels.*', 'spec.namespaceSelector', 'spec.namespaceSelector.matchNames',
    'spec.namespaceSelector.matchNames[]', 'spec.podMetricsEndpoints', 'spec.podMetricsEndpoints[]', 'spec.podMetricsEndpoints[].port',
    'spec.podMetricsEndpoints[].path', 'spec.podMetricsEndpoints[].interval', 'spec.podMetricsEndpoints[].scrapeTimeout',
  ]),
};

/** The spec field paths of a monitoring.coreos.com object that prometheus-operator v0.67 would not know. */
export function fieldsNewerThanV067(obj: any): string[] {
  const allowed = V067[obj.kind];
  if (!allowed) throw new Error(`not a prometheus-operator kind: ${obj.kind}`);
  const out: string[] = [];
  const walk = (v: any, p: string, mapOfStrings: boolean) => {
    if (!allowed.has(p)) out.push(p);
    if (Array.isArray(v)) {v.forEach(x => walk(x, `${p}[]`, false));} else if (v && typeof v === 'object') {
      const isMap = allowed.has(`${p}.*`);
      for (const [k, x] of Object.entries(v)) walk(x, isMap ? `${p}.*` : `${p}.${k}`, isMap || mapOfStrings);
    }
  };
  walk(obj.spec, 'spec', false);
  return out;
}
