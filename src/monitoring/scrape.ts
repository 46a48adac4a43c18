import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkPromDuration } from './promql';
import { PodMonitor, ServiceMonitor } from '../imports/monitoring';
import { checkLabelKey, checkLabelValue } from '../validate/rules';

// Internal: ServiceMonitor and PodMonitor objects (monitoring.coreos.com/v1),
// built with the generated L1 classes (src/imports/monitoring.ts).
// Only fields prometheus-operator v0.67 also accepts are emitted:
// metadata, spec.selector.matchLabels, spec.namespaceSelector.matchNames,
// spec.{endpoints,podMetricsEndpoints}[].{port,path,interval,scrapeTimeout}.

/** What to scrape. */
export interface ScrapeTarget {
  readonly kind: 'ServiceMonitor' | 'PodMonitor';
  readonly name: string;
  readonly namespace?: string;
  /** Labels on the monitor object (for the Prometheus' serviceMonitorSelector / podMonitorSelector). */
  readonly labels?: { [key: string]: string };
  /** Labels of the Services (ServiceMonitor) or Pods (PodMonitor) to scrape. */
  readonly matchLabels: { [key: string]: string };
  /** Name of the port. */
  readonly port: string;
  readonly path?: string;
  readonly interval?: string;
}

/** Creates a ServiceMonitor or PodMonitor, checking its labels and interval. */
export function scrapeMonitor(scope: Construct, id: string, target: ScrapeTarget): ApiObject {
  for (const [k, v] of Object.entries(target.labels ?? {})) {
    checkLabelKey(scope, `monitorLabels.${k}`, k);
    checkLabelValue(scope, `monitorLabels.${k}`, v);
  }
  const endpoint = {
    port: target.port,
    path: target.path ?? '/metrics',
    ...(target.interval !== undefined ? { interval: checkPromDuration(scope, 'scrapeInterval', target.interval) } : {}),
  };
  const metadata = {
    name: target.name,
    ...(target.namespace ? { namespace: target.namespace } : {}),
    ...(target.labels && Object.keys(target.labels).length > 0 ? { labels: { ...target.labels } } : {}),
  };
  const selector = { matchLabels: { ...target.matchLabels } };
  return target.kind === 'ServiceMonitor'
    ? new ServiceMonitor(scope, id, { metadata, spec: { selector, endpoints: [endpoint] } })
    : new PodMonitor(scope, id, { metadata, spec: { selector, podMetricsEndpoints: [endpoint] } });
}
