import { Testing } from 'cdk8s';
import { CustomVolumePluginChart, SecretsStorePlugin } from '../../examples/custom-volume-plugin/main';
import { InlineVolume, VolumePlugins, Warnings } from '../../src';
import { modelOf, pathsOf } from '../fixtures/reach';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

test('examples/custom-volume-plugin: a registered custom plugin mounted into a TomcatApp, NFS shared by 3 replicas', () => {
  const app = Testing.app();
  const chart = new CustomVolumePluginChart(app, 'custom-volume-plugin');
  // every pod stays at Pod Security "restricted"
  const m = synthValid(chart);
  expect(VolumePlugins.of(chart).tryGet('example.com/secrets-store')).toBeInstanceOf(SecretsStorePlugin);
  expect(chart.secrets.plugin.name).toBe('example.com/secrets-store');

  const [catalog, storefront] = ['catalog', 'storefront'].map(n => findObjects(m, 'Deployment').find(d => d.metadata.name === n));
  const catalogPod = catalog.spec.template.spec;
  expect(catalogPod.volumes).toContainEqual({
    name: 'db-credentials',
    csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'vault-db-creds' } },
  });
  expect(catalogPod.containers[0].volumeMounts).toContainEqual({ name: 'db-credentials', mountPath: '/mnt/secrets', readOnly: true });

  expect(storefront.spec.replicas).toBe(3);
  const pod = storefront.spec.template.spec;
  expect(pod.volumes).toContainEqual({ name: 'uploads', persistentVolumeClaim: { claimName: 'uploads', readOnly: false } });
  expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'uploads', mountPath: '/var/lib/shop/uploads' });
  const pv = findObject(m, 'PersistentVolume');
  expect(pv.spec.nfs).toEqual({ server: 'nas.example.com', path: '/exports/shop/uploads' });
  expect(pv.spec.accessModes).toEqual(['ReadWriteMany']);
  expect(pv.spec.mountOptions).toEqual(['nfsvers=4.1', 'hard']);
  expect(pv.spec.claimRef).toEqual({ name: 'uploads', namespace: 'shop' });
  const pvc = findObject(m, 'PersistentVolumeClaim');
  expect(pvc.metadata.namespace).toBe('shop');
  expect(pvc.spec.volumeName).toBe(pv.metadata.name);
  expect(Warnings.collect(chart)).toEqual([]);
});

test('the custom plugin validates its own options, naming the field and value', () => {
  const chart = Testing.chart();
  VolumePlugins.of(chart).register(new SecretsStorePlugin());
  expect(() => new InlineVolume(chart, 'bad', { source: SecretsStorePlugin.source('Not_A_Name') }))
    .toThrow('test/bad: source.secrets-store.providerClass: "Not_A_Name" must name a SecretProviderClass');
});

test('examples/custom-volume-plugin: no NetworkPolicy: storefront and catalog reach each other (reachability model)', () => {
  const model = modelOf(app => new CustomVolumePluginChart(app, 'custom-volume-plugin'));
  expect(model.policies).toEqual([]);
  expect(pathsOf(model, { storefront: 'shop/Deployment/storefront', catalog: 'shop/Deployment/catalog' }, [[8080, 'TCP']]))
    .toEqual(['catalog -> storefront:8080', 'storefront -> catalog:8080']);
});
