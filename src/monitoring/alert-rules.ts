import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertRule, AlertSeverity, ClusterAlertOptions, NodeAlertOptions, ServiceAlertOptions } from './alert-options';
import { clusterAlerts, nodeAlerts, serviceAlerts } from './alert-presets';
import { checkAlertName, checkLabelNames, checkPromDuration, checkPromQL } from './promql';
import { TomcatMetrics } from './tomcat-metrics';
import { checkProps, checkScope, is } from '../core/checks';
import { ValidationError } from '../core/errors';
import { dnsLabelFromId } from '../core/names';
import { PrometheusRule, PrometheusRuleSpecGroups, PrometheusRuleSpecGroupsRules, PrometheusRuleSpecGroupsRulesExpr } from '../imports/monitoring';
import { checkDnsLabel, checkDnsSubdomain, checkLabelKey, checkLabelValue } from '../validate/rules';

/** Props of `AlertRules`. */
export interface AlertRulesProps {
  /**
   * Name of the PrometheusRule.
   *
   * @default - a DNS label derived from the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the PrometheusRule.
   *
   * @default - none (the namespace of the kubectl context)
   */
  readonly namespace?: string;
  /**
   * Labels of the PrometheusRule, e.g. the `release` label your Prometheus' ruleSelector matches.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * How often the rule groups are evaluated (a Prometheus duration).
   *
   * @default - the Prometheus' evaluation interval
   */
  readonly evaluationInterval?: string;
}


/**
 * A PrometheusRule (monitoring.coreos.com/v1) of alerting rules, in groups.
 *
 * Presets watch the platform's levels: `addNodeAlerts` (CPU, memory,
 * filesystem filling up, load; node-exporter metrics), `addClusterAlerts`
 * (CPU/memory overcommit, quota, crash loops, replica mismatches;
 * kube-state-metrics) and `addServiceAlerts` (request rate too high or zero,
 * error ratio, latency; the metrics of `TomcatMetrics`). Thresholds and `for`
 * durations are options; `addRule` adds your own. Every expression is parsed
 * with Prometheus' PromQL grammar and every duration checked when the rule is
 * added: a malformed one is a `ValidationError` that shows it.
 */
export class AlertRules extends Construct {
  /** The PrometheusRule object. */
  public readonly prometheusRule: ApiObject;
  /** Name of the PrometheusRule. */
  public readonly name: string;
  private readonly groups = new Map<string, PrometheusRuleSpecGroupsRules[]>();
  private readonly interval?: string;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: AlertRulesProps = {}) {
    super(checkScope(scope, id, 'AlertRules'), id);
    checkProps(this, 'AlertRulesProps', props, { name: is.string(), namespace: is.string(), labels: is.labels(), evaluationInterval: is.string() });
    this.name = checkDnsSubdomain(this, 'name', props.name ?? dnsLabelFromId(id));
    const namespace = props.namespace !== undefined ? checkDnsLabel(this, 'namespace', props.namespace) : undefined;
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      checkLabelKey(this, `labels.${k}`, k);
      checkLabelValue(this, `labels.${k}`, v);
    }
    this.interval = props.evaluationInterval !== undefined ? checkPromDuration(this, 'evaluationInterval', props.evaluationInterval) : undefined;
    this.prometheusRule = new PrometheusRule(this, 'Resource', {
      metadata: {
        name: this.name,
        ...(namespace ? { namespace } : {}),
        ...(props.labels && Object.keys(props.labels).length > 0 ? { labels: { ...props.labels } } : {}),
      },
      spec: { groups: Lazy.any({ produce: () => this.groupsJson() }) },
    });
    this.node.addValidation({
      validate: () => this.groups.size === 0
        ? [ValidationError.format(this.node.path, 'groups', [], 'must hold at least one rule: call addRule, addNodeAlerts, addClusterAlerts or addServiceAlerts')]
        : [],
    });
  }

  /** Names of the rule groups, in order. */
  public get groupNames(): string[] {
    return [...this.groups.keys()];
  }

  /** Names of the alerts in a group (empty when there is no such group). */
  public alertNames(groupName: string): string[] {
    return (this.groups.get(groupName) ?? []).map(r => r.alert!);
  }

  /**
   * Add an alerting rule to a group (created on first use).
   *
   * @param groupName the rule group, e.g. 'shop'
   * @param rule the rule
   */
  public addRule(groupName: string, rule: AlertRule): void {
    checkDnsSubdomain(this, 'groupName', groupName);
    const rules = this.groups.get(groupName) ?? [];
    const field = `groups[${groupName}].rules[${rule.alert}]`;
    checkAlertName(this, `groups[${groupName}].rules[${rules.length}].alert`, rule.alert);
    checkPromQL(this, `${field}.expr`, rule.expr);
    if (rule.forDuration !== undefined) checkPromDuration(this, `${field}.forDuration`, rule.forDuration);
    checkLabelNames(this, `${field}.labels`, rule.labels);
    checkLabelNames(this, `${field}.annotations`, rule.annotations);
    const annotations = {
      ...(rule.summary !== undefined ? { summary: rule.summary } : {}),
      ...(rule.description !== undefined ? { description: rule.description } : {}),
      ...(rule.annotations ?? {}),
    };
    rules.push({
      alert: rule.alert,
      expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
      ...(rule.forDuration !== undefined ? { for: rule.forDuration } : {}),
      labels: { severity: rule.severity ?? AlertSeverity.WARNING, ...(rule.labels ?? {}) },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    });
    this.groups.set(groupName, rules);
  }

  /**
   * Node alerts in group `node` (node-exporter metrics): CPU and memory usage,
   * filesystem almost full and filling up (`predict_linear`), load per core.
   */
  public addNodeAlerts(options: NodeAlertOptions = {}): void {
    for (const r of nodeAlerts(this, options)) this.addRule('node', r);
  }

  /**
   * Cluster alerts in group `cluster` (kube-state-metrics): CPU and memory
   * requests overcommitted, resource quota almost used up, containers crash
   * looping, Deployments and StatefulSets short of replicas.
   */
  public addClusterAlerts(options: ClusterAlertOptions = {}): void {
    for (const r of clusterAlerts(this, options)) this.addRule('cluster', r);
  }

  /**
   * Service alerts for one Tomcat app in group `service-<app name>` (the
   * metrics of `TomcatMetrics`): request rate too high, no requests, error
   * ratio, average latency.
   */
  public addServiceAlerts(metrics: TomcatMetrics, options: ServiceAlertOptions = {}): void {
    for (const r of serviceAlerts(this, metrics, options)) this.addRule(`service-${metrics.app.name}`, r);
  }

  private groupsJson(): PrometheusRuleSpecGroups[] {
    return [...this.groups.entries()].map(([name, rules]) => ({
      name,
      ...(this.interval !== undefined ? { interval: this.interval } : {}),
      rules,
    }));
  }
}
