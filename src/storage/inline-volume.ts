import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MountableStorage } from './mountable-storage';
import { defaultVolumeName, pluginVolume } from './render';
import { VolumeScope } from './volume-plugin';
import { VolumeSource } from './volume-source';
import { checkProps, is, pathOf } from '../core/checks';
import { checkDnsLabel } from '../validate/rules';

/** Props of an `InlineVolume`. */
export interface InlineVolumeProps {
  /** What the volume is made of, e.g. `VolumeSource.nfs({ server, path })`. */
  readonly source: VolumeSource;
  /**
   * The volume's name in the pod (a DNS label, unique per pod).
   *
   * @default - derived from the construct id
   */
  readonly name?: string;
}

/**
 * A volume declared inline in the pod spec (`spec.volumes[]`), rendered by
 * the registered plugin that supports its source, with every Kubernetes field
 * the source sets, including those cdk8s-plus-27's `Volume` cannot express
 * (iscsi, rbd, cephfs, glusterfs …).
 *
 * Mount it with `mount(workload, path)` or `mountInApp(tomcatApp, path)`.
 * Volume types other than emptyDir, configMap, secret, csi (and the other
 * restricted-safe types) fail Pod Security "restricted": prefer
 * `PersistentStorage`, whose pods mount a persistentVolumeClaim.
 */
export class InlineVolume extends MountableStorage {
  /** The cdk8s-plus volume that pods mount. */
  public readonly volume: kplus.Volume;
  private readonly rendered: { [key: string]: any };

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: InlineVolumeProps) {
    super(scope, id, checkInlineProps(scope, id, props).source);
    const name = props.name !== undefined ? checkDnsLabel(this, 'name', props.name) : defaultVolumeName(this);
    this.rendered = this.plugin.renderPodVolume(this, props.source);
    this.volume = pluginVolume(this, 'Volume', name, this.rendered, `source.${props.source.type}`);
    this.checkAvailability('; to emit the CSI form, declare it as PersistentStorage with useCsiDriver: true');
  }

  protected sharingModes(): kplus.PersistentVolumeAccessMode[] {
    return this.plugin.accessModes(this.source);
  }

  protected sharingScope(): VolumeScope {
    return this.plugin.scope;
  }

  protected podVolumeJson(): { [key: string]: any } {
    return this.rendered;
  }
}

/** Checks the runtime shape of `InlineVolumeProps` before the construct exists; returns them. */
function checkInlineProps(scope: Construct, id: string, props: InlineVolumeProps): InlineVolumeProps {
  checkProps(pathOf(scope, id), 'InlineVolumeProps', props, {
    source: is.instanceOf(VolumeSource, 'e.g. VolumeSource.emptyDir()'),
    name: is.string(),
  }, ['source']);
  return props;
}
