/** The `severity` label of an alert. */
export enum AlertSeverity {
  /** Someone must act now. */
  CRITICAL = 'critical',
  /** Needs attention during working hours. */
  WARNING = 'warning',
  /** For dashboards and inhibition, not for paging. */
  INFO = 'info',
}

/** One alerting rule. */
export interface AlertRule {
  /** The alert name, e.g. `ShopDown` (letters, digits, `_`, `:`). */
  readonly alert: string;
  /** The PromQL expression; every result series is a firing alert. Parsed at synth. */
  readonly expr: string;
  /**
   * How long the expression must hold before the alert fires (the rule's `for`), a Prometheus duration.
   *
   * @default - fires at the first evaluation that returns a result
   */
  readonly forDuration?: string;
  /**
   * The `severity` label.
   *
   * @default AlertSeverity.WARNING
   */
  readonly severity?: AlertSeverity;
  /**
   * The `summary` annotation (Prometheus templates such as `{{ $labels.instance }}` allowed).
   *
   * @default - none
   */
  readonly summary?: string;
  /**
   * The `description` annotation.
   *
   * @default - none
   */
  readonly description?: string;
  /**
   * More labels of the alert.
   *
   * @default - only `severity`
   */
  readonly labels?: { [name: string]: string };
  /**
   * More annotations of the alert, e.g. `runbook_url`.
   *
   * @default - only `summary` and `description` when set
   */
  readonly annotations?: { [name: string]: string };
}

/** Thresholds of `AlertRules.addNodeAlerts` (node-exporter metrics). */
export interface NodeAlertOptions {
  /**
   * The `job` label of the node-exporter targets.
   *
   * @default 'node-exporter'
   */
  readonly job?: string;
  /**
   * The range of the `rate()` windows (a Prometheus duration).
   *
   * @default '5m'
   */
  readonly rateWindow?: string;
  /**
   * NodeHighCpuUsage: CPU busy above this percentage of all cores.
   *
   * @default 90
   */
  readonly cpuUsagePercent?: number;
  /**
   * How long CPU usage must stay above the threshold before the alert fires.
   *
   * @default '15m'
   */
  readonly cpuFor?: string;
  /**
   * NodeHighMemoryUsage: memory in use (not available) above this percentage.
   *
   * @default 90
   */
  readonly memoryUsagePercent?: number;
  /**
   * How long memory usage must stay above the threshold before the alert fires.
   *
   * @default '15m'
   */
  readonly memoryFor?: string;
  /**
   * NodeFilesystemAlmostFull (critical): less than this percentage of a filesystem available.
   *
   * @default 10
   */
  readonly filesystemAvailablePercent?: number;
  /**
   * How long free filesystem space must stay below the threshold before the alert fires.
   *
   * @default '30m'
   */
  readonly filesystemFor?: string;
  /**
   * NodeFilesystemFillingUp: `predict_linear` of the available bytes says the
   * filesystem is full within this many hours (and less than 40% is available).
   *
   * @default 24
   */
  readonly fillingUpWithinHours?: number;
  /**
   * The range `predict_linear` extrapolates from (a Prometheus duration).
   *
   * @default '6h'
   */
  readonly fillingUpWindow?: string;
  /**
   * How long the `predict_linear` forecast must show the filesystem filling up before the alert fires.
   *
   * @default '1h'
   */
  readonly fillingUpFor?: string;
  /**
   * NodeHighLoad: the 15-minute load average above this many runnable tasks per core.
   *
   * @default 2
   */
  readonly loadPerCore?: number;
  /**
   * How long the load per core must stay above the threshold before the alert fires.
   *
   * @default '15m'
   */
  readonly loadFor?: string;
}

/** Thresholds of `AlertRules.addClusterAlerts` (kube-state-metrics). */
export interface ClusterAlertOptions {
  /**
   * The `job` label of the kube-state-metrics target.
   *
   * @default 'kube-state-metrics'
   */
  readonly job?: string;
  /**
   * KubeCpuOvercommit / KubeMemoryOvercommit: the pods request more CPU
   * (memory) than the cluster keeps allocatable after losing its largest node.
   *
   * @default '10m'
   */
  readonly overcommitFor?: string;
  /**
   * KubeQuotaAlmostFull: a ResourceQuota's usage above this percentage of its hard limit
   * (KubeQuotaExceeded fires above 100%).
   *
   * @default 90
   */
  readonly quotaUsedPercent?: number;
  /**
   * How long a ResourceQuota must stay above the threshold before the alert fires.
   *
   * @default '15m'
   */
  readonly quotaFor?: string;
  /**
   * KubePodCrashLooping: a container waiting in CrashLoopBackOff for this long.
   *
   * @default '15m'
   */
  readonly crashLoopingFor?: string;
  /**
   * KubeDeploymentReplicasMismatch / KubeStatefulSetReplicasMismatch: fewer
   * replicas available than desired, with no rollout progress, for this long.
   *
   * @default '15m'
   */
  readonly replicasMismatchFor?: string;
}

/** Thresholds of `AlertRules.addServiceAlerts` (the metrics of `TomcatMetrics`). */
export interface ServiceAlertOptions {
  /**
   * The range of the `rate()` windows (a Prometheus duration).
   *
   * @default '5m'
   */
  readonly rateWindow?: string;
  /**
   * TomcatHighRequestRate: requests per second over all pods above this.
   *
   * @default - 100 per desired replica of the app
   */
  readonly maxRequestsPerSecond?: number;
  /**
   * How long the request rate must stay above `maxRequestsPerSecond` before the alert fires.
   *
   * @default '10m'
   */
  readonly highRequestRateFor?: string;
  /**
   * TomcatNoTraffic: requests per second (beyond the kubelet's own probe
   * requests, 0.15/s per running pod) at or below this: traffic dropped to zero.
   *
   * @default 0
   */
  readonly minRequestsPerSecond?: number;
  /**
   * How long the request rate must stay below `minRequestsPerSecond` before the alert fires.
   *
   * @default '15m'
   */
  readonly noTrafficFor?: string;
  /**
   * TomcatHighErrorRatio: responses with status 400 or above, as a percentage of all responses, above this.
   *
   * @default 5
   */
  readonly errorRatioPercent?: number;
  /**
   * How long the error ratio must stay above the threshold before the alert fires.
   *
   * @default '10m'
   */
  readonly errorRatioFor?: string;
  /**
   * TomcatHighLatency: average request processing time above this many milliseconds.
   *
   * @default 1000
   */
  readonly latencyMillis?: number;
  /**
   * How long the latency must stay above the threshold before the alert fires.
   *
   * @default '10m'
   */
  readonly latencyFor?: string;
}
