// A user-written volume plugin, registered in the app's VolumePlugins registry
// and mounted into a TomcatApp; and an NFS export shared by a 3-replica app.
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import {
  IVolumePlugin, InlineVolume, KubeVersion, PaasApp, PaasChart, PersistentStorage, PluginAvailability, PluginStatus,
  TomcatApp, ValidationError, VolumePlugins, VolumeScope, VolumeSource, WarArtifact,
} from '../../src';

/**
 * The Secrets Store CSI driver (secrets-store.csi.k8s.io) as a plugin: a
 * `secrets-store` source names a SecretProviderClass, and the plugin renders
 * the CSI ephemeral inline volume the driver expects. CSI volumes are allowed
 * by Pod Security "restricted", and each pod gets its own mount (scope POD).
 */
export class SecretsStorePlugin implements IVolumePlugin {
  /** The source type this plugin supports. */
  public static readonly TYPE = 'secrets-store';

  /** A source for this plugin. */
  public static source(providerClass: string): VolumeSource {
    return VolumeSource.custom(SecretsStorePlugin.TYPE, { providerClass });
  }

  public readonly name = 'example.com/secrets-store';
  public readonly scope = VolumeScope.POD;

  public canSupport(source: VolumeSource): boolean {
    return source.type === SecretsStorePlugin.TYPE;
  }

  public renderPodVolume(scope: IConstruct, source: VolumeSource): { [key: string]: any } {
    const providerClass = source.options.providerClass;
    if (typeof providerClass !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(providerClass)) {
      throw ValidationError.of(scope, 'source.secrets-store.providerClass', providerClass ?? '',
        'must name a SecretProviderClass: a DNS-1123 subdomain such as "vault-db-creds"');
    }
    return { csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: providerClass } } };
  }

  public renderPersistentVolume(_scope: IConstruct, _source: VolumeSource): { [key: string]: any } | undefined {
    return undefined; // ephemeral only
  }

  public accessModes(_source: VolumeSource): kplus.PersistentVolumeAccessMode[] {
    return [];
  }

  public availability(version: KubeVersion): PluginAvailability {
    // CSI ephemeral inline volumes: beta (on by default) since 1.16, GA in 1.25; the
    // driver itself supports the Kubernetes versions this platform targets
    return { status: version.isAtLeast(KubeVersion.parse('1.16')) ? PluginStatus.SUPPORTED : PluginStatus.REMOVED };
  }

  public toCsi(_scope: IConstruct, _source: VolumeSource): VolumeSource | undefined {
    return undefined; // already CSI
  }
}

const ARTIFACT = WarArtifact.fromImage('registry.example.com/shop/storefront:2.3.0', { wars: ['ROOT.war'] });

/** The example: a custom-plugin volume in one app, a shared NFS volume in a 3-replica app. */
export class CustomVolumePluginChart extends PaasChart {
  public readonly catalog: TomcatApp;
  public readonly storefront: TomcatApp;
  public readonly secrets: InlineVolume;
  public readonly shared: PersistentStorage;

  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop' });
    const plugins = VolumePlugins.of(this);
    if (!plugins.tryGet('example.com/secrets-store')) plugins.register(new SecretsStorePlugin());

    // 1. the custom plugin, mounted into a TomcatApp
    this.catalog = new TomcatApp(this, 'catalog', { replicas: 2, artifacts: [ARTIFACT] });
    this.secrets = new InlineVolume(this, 'db-credentials', { source: SecretsStorePlugin.source('vault-db-creds') });
    this.secrets.mountInApp(this.catalog, '/mnt/secrets', { readOnly: true });

    // 2. an NFS export shared by 3 replicas. nfs is not a volume type Pod Security
    // "restricted" allows inline, so it is a PersistentVolume + PersistentVolumeClaim:
    // the pods mount the claim (allowed) and keep running at "restricted";
    // ReadWriteMany lets all 3 replicas mount it read-write.
    this.storefront = new TomcatApp(this, 'storefront', { replicas: 3, artifacts: [ARTIFACT] });
    this.shared = new PersistentStorage(this, 'uploads', {
      source: VolumeSource.nfs({ server: 'nas.example.com', path: '/exports/shop/uploads' }),
      capacity: '50Gi',
      mountOptions: ['nfsvers=4.1', 'hard'],
    });
    this.shared.mountInApp(this.storefront, '/var/lib/shop/uploads');
  }
}

if (require.main === module) {
  const app = new PaasApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist/custom-volume-plugin' });
  new CustomVolumePluginChart(app, 'custom-volume-plugin');
  app.synth();
}
