import { App, AppProps } from 'cdk8s';
import { writeAtomically } from './atomic-output';
import { KUBE_VERSION_CONTEXT, KubeVersion } from './kube-version';

/**
 * Props of a `PaasApp`.
 */
export interface PaasAppProps extends AppProps {
  /**
   * The Kubernetes version of the target cluster, read by every construct of the app.
   *
   * @default KubeVersion.DEFAULT (1.27)
   */
  readonly kubeVersion?: KubeVersion;
}

/**
 * A cdk8s `App` for cdk8s-paas: it carries the target Kubernetes version and
 * synthesizes atomically, so a failed synth (a validation error, a
 * serialization error) leaves the output folder exactly as it was.
 */
export class PaasApp extends App {
  /** The target Kubernetes version. */
  public readonly kubeVersion: KubeVersion;

  public constructor(props: PaasAppProps = {}) {
    super(props);
    this.kubeVersion = props.kubeVersion ?? KubeVersion.DEFAULT;
    this.node.setContext(KUBE_VERSION_CONTEXT, this.kubeVersion.toString());
  }

  /**
   * Validate every construct and write all charts; nothing is written unless
   * everything succeeds.
   */
  public synth(): void {
    const self = this as { outdir: string };
    const finalDir = this.outdir;
    writeAtomically(finalDir, (staging) => {
      self.outdir = staging;
      try {
        super.synth();
      } finally {
        self.outdir = finalDir;
      }
    });
  }
}
