/**
 * Horizontal autoscaling of a `TomcatApp` on CPU utilization (an
 * `autoscaling/v2` HorizontalPodAutoscaler).
 */
export interface TomcatAutoscaling {
  /**
   * Fewest pods the autoscaler keeps (at least 1).
   *
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most pods the autoscaler may run; at least `minReplicas`.
   */
  readonly maxReplicas: number;
  /**
   * Target average CPU use of the Tomcat container, in percent of its CPU
   * request. Values above 100 are allowed up to the limit/request ratio (a
   * 500m request with a 2 CPU limit allows up to 400).
   *
   * @default 80
   */
  readonly cpuUtilization?: number;
}
