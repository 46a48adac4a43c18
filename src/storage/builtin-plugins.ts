import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { inTreeAvailability } from './availability';
import { BUILTIN_SPECS } from './plugins';
import { BuiltinSpec, compact, Fields } from './plugins/builtin-spec';
import { IVolumePlugin, PluginAvailability, VolumeScope } from './volume-plugin';
import { VolumeSource } from './volume-source';
import { KubeVersion } from '../core/kube-version';

/**
 * The in-tree volume plugins Kubernetes documents, each rendering the exact
 * Kubernetes fields of its volume type, with the access modes of the
 * PersistentVolume documentation and the availability of
 * data/volume-plugins.json. Every `VolumePlugins` registry starts with all of them.
 */
export class BuiltinVolumePlugin implements IVolumePlugin {
  /** Every built-in plugin, in the order of the Kubernetes volume types page. */
  public static all(): BuiltinVolumePlugin[] {
    return BUILTIN_SPECS.map(s => new BuiltinVolumePlugin(s));
  }

  /** The source types the built-ins support (the Kubernetes volume field names). */
  public static types(): string[] {
    return BUILTIN_SPECS.map(s => s.type);
  }

  /** @inheritdoc */
  public readonly name: string;
  /** @inheritdoc */
  public readonly scope: VolumeScope;
  /** The source type (Kubernetes volume field) this plugin handles, e.g. `nfs`. */
  public readonly type: string;

  private constructor(private readonly spec: BuiltinSpec<any, any>) {
    this.name = spec.name;
    this.scope = spec.scope;
    this.type = spec.type;
  }

  public canSupport(source: VolumeSource): boolean {
    return source.type === this.spec.type;
  }

  public renderPodVolume(scope: IConstruct, source: VolumeSource): { [key: string]: any } {
    return { [this.spec.type]: this.render(scope, source, false) };
  }

  public renderPersistentVolume(scope: IConstruct, source: VolumeSource): { [key: string]: any } | undefined {
    if (!this.spec.persistent) return undefined;
    return { [this.spec.type]: this.render(scope, source, true) };
  }

  public accessModes(_source: VolumeSource): kplus.PersistentVolumeAccessMode[] {
    return [...this.spec.modes];
  }

  public availability(version: KubeVersion): PluginAvailability {
    return inTreeAvailability(this.spec.type, version);
  }

  public toCsi(scope: IConstruct, source: VolumeSource): VolumeSource | undefined {
    if (!this.spec.csi) return undefined;
    return VolumeSource.csi(compact(this.spec.csi(new Fields(scope, this.spec.type, source.options))));
  }

  /** The Kubernetes JSON of the typed L1 source the plugin renders. */
  private render(scope: IConstruct, source: VolumeSource, pv: boolean): { [key: string]: any } {
    return this.spec.toJson(this.spec.render(new Fields(scope, this.spec.type, source.options), pv), pv) ?? {};
  }
}
