import * as kplus from 'cdk8s-plus-27';
import { ValidationError } from '../core/errors';
import { ITomcatWorkload } from '../core/workload-target';

/**
 * Where configuration is attached: a pod (any cdk8s-plus workload: Deployment,
 * StatefulSet, DaemonSet, Job, CronJob or Pod) and one of its containers.
 */
export class ConfigTarget {
  /**
   * The Tomcat container of a `TomcatApp` (any `ITomcatWorkload`).
   *
   * Command-line arguments become JVM options in `CATALINA_OPTS` (the image's
   * command `catalina.sh run` takes no application arguments), and
   * `CATALINA_OPTS`/`JAVA_OPTS` are kept after the variables they reference.
   *
   * @param app the app
   */
  public static fromTomcatApp(app: ITomcatWorkload): ConfigTarget {
    return new ConfigTarget(app.deployment, app.container, app);
  }

  /**
   * A container of a cdk8s-plus workload.
   *
   * @param pod the workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod)
   * @param container one of its containers or init containers
   */
  public static fromWorkload(pod: kplus.AbstractPod, container?: kplus.Container): ConfigTarget {
    const c = container ?? pod.containers[0];
    if (!c) {
      throw ValidationError.of(pod, 'container', '', 'is missing: the workload has no container yet; add one before attaching configuration');
    }
    if (!pod.containers.includes(c) && !pod.initContainers.includes(c)) {
      throw ValidationError.of(pod, 'container', c.name, 'is not a container of this workload; pass one of its containers or init containers');
    }
    return new ConfigTarget(pod, c);
  }

  /** The pod (workload) whose template gets volumes and the rollout annotation. */
  public readonly pod: kplus.AbstractPod;
  /** The container that gets environment variables, arguments and mounts. */
  public readonly container: kplus.Container;
  /** @internal */
  public readonly _tomcat?: ITomcatWorkload;

  private constructor(pod: kplus.AbstractPod, container: kplus.Container, tomcat?: ITomcatWorkload) {
    this.pod = pod;
    this.container = container;
    this._tomcat = tomcat;
  }
}
