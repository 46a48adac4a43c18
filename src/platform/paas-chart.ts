import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps, checkScope, is, pathOf } from '../core/checks';
import { KUBE_VERSION_CONTEXT, KubeVersion } from '../core/kube-version';

/**
 * Props of a `PaasChart`.
 */
export interface PaasChartProps extends ChartProps {
  /**
   * The Kubernetes version this chart targets, overriding the App's.
   *
   * @default - the App's target version (KubeVersion.DEFAULT when none)
   */
  readonly kubeVersion?: KubeVersion;
}

/**
 * A cdk8s `Chart` that can pin its own target Kubernetes version.
 */
export class PaasChart extends Chart {
  /** The target Kubernetes version of the chart's constructs. */
  public readonly kubeVersion: KubeVersion;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: PaasChartProps = {}) {
    super(checkScope(scope, id, 'PaasChart', false), id, checkChartProps(scope, id, props));
    if (props.kubeVersion) {
      this.node.setContext(KUBE_VERSION_CONTEXT, props.kubeVersion.toString());
    }
    this.kubeVersion = KubeVersion.of(this);
  }
}

/** Checks the runtime shape of `PaasChartProps` and the API server's rules for its namespace and labels. */
function checkChartProps(scope: Construct, id: string, props: PaasChartProps): PaasChartProps {
  checkProps(pathOf(scope, id), 'PaasChartProps', props, {
    kubeVersion: is.instanceOf(KubeVersion, 'KubeVersion.parse(\'1.27\')'),
    namespace: is.dnsLabel(),
    labels: is.labels(),
    disableResourceNameHashes: is.boolean(),
  });
  return props ?? {};
}
