import { IConstruct } from 'constructs';
import { BuiltinVolumePlugin } from './builtin-plugins';
import { IVolumePlugin } from './volume-plugin';
import { VolumeSource } from './volume-source';
import { ValidationError } from '../core/errors';

const REGISTRIES = new WeakMap<IConstruct, VolumePlugins>();

/**
 * The volume plugins of one app (the kubelet's plugin manager at synth time):
 * every built-in plugin is registered; add your own with `register`.
 *
 * Storage constructs look up the single plugin that `canSupport`s their source.
 */
export class VolumePlugins {
  /** The registry of the app `scope` belongs to (created with the built-ins on first use). */
  public static of(scope: IConstruct): VolumePlugins {
    const root = scope.node.root;
    let reg = REGISTRIES.get(root);
    if (!reg) {
      reg = new VolumePlugins(root);
      REGISTRIES.set(root, reg);
    }
    return reg;
  }

  private readonly _plugins: IVolumePlugin[] = BuiltinVolumePlugin.all();

  private constructor(private readonly root: IConstruct) {}

  /** The registered plugins: the built-ins first, then yours in registration order. */
  public get plugins(): IVolumePlugin[] {
    return [...this._plugins];
  }

  /**
   * Add a plugin. Register it before the constructs that use its sources.
   *
   * @param plugin your plugin; its name must be unique in the registry
   * @throws ValidationError when a plugin of that name is already registered
   */
  public register(plugin: IVolumePlugin): void {
    if (!plugin || typeof plugin.name !== 'string' || plugin.name.trim() === '') {
      throw new ValidationError(ValidationError.format(this.root.node.path || 'app', 'plugin.name', plugin?.name ?? '',
        'is required: a unique plugin name such as "example.com/acme-nas"'), this.root.node.path, 'plugin.name');
    }
    if (this._plugins.some(p => p.name === plugin.name)) {
      throw new ValidationError(ValidationError.format(this.root.node.path || 'app', 'plugin.name', plugin.name,
        'is already registered; each volume plugin name must be unique'), this.root.node.path, 'plugin.name');
    }
    this._plugins.push(plugin);
  }

  /** The plugin registered under `name`, if any. */
  public tryGet(name: string): IVolumePlugin | undefined {
    return this._plugins.find(p => p.name === name);
  }

  /**
   * The one plugin that supports `source` (kubelet: `FindPluginBySpec`).
   *
   * @param scope the construct asking (for the error message)
   * @param source the source to place
   * @throws ValidationError when no plugin or more than one supports it
   */
  public findPlugin(scope: IConstruct, source: VolumeSource): IVolumePlugin {
    const matches = this._plugins.filter(p => p.canSupport(source));
    if (matches.length === 0) {
      throw ValidationError.of(scope, 'source.type', source.type,
        `is supported by no registered volume plugin; built-in types are ${BuiltinVolumePlugin.types().join(', ')}, `
        + 'others need VolumePlugins.of(scope).register(yourPlugin) first');
    }
    if (matches.length > 1) {
      throw ValidationError.of(scope, 'source.type', source.type,
        `is supported by more than one volume plugin (${matches.map(p => p.name).join(', ')}); exactly one plugin's canSupport may accept a source`);
    }
    return matches[0];
  }
}
