import * as fs from 'fs';
import * as path from 'path';
import { ApiRemovals, KubeVersion } from '../../src';

describe('ApiRemovals', () => {
  test('find and removedIn honour the target version', () => {
    expect(ApiRemovals.find('batch/v1beta1', 'CronJob')).toMatchObject({ removedIn: '1.25', replacement: 'batch/v1', replacementAvailableSince: '1.21' });
    expect(ApiRemovals.removedIn('batch/v1beta1', 'CronJob', KubeVersion.V1_24)).toBeUndefined();
    expect(ApiRemovals.removedIn('batch/v1beta1', 'CronJob', KubeVersion.V1_25)?.replacement).toBe('batch/v1');
    expect(ApiRemovals.find('apps/v1', 'Deployment')).toBeUndefined();
  });

  test('between lists the removals an upgrade crosses, oldest first', () => {
    const r = ApiRemovals.between(KubeVersion.V1_24, KubeVersion.V1_27);
    expect(new Set(r.map(x => x.removedIn))).toEqual(new Set(['1.25', '1.26', '1.27']));
    expect(r[0].removedIn).toBe('1.25');
    expect(r[r.length - 1]).toMatchObject({ apiVersion: 'storage.k8s.io/v1beta1', kind: 'CSIStorageCapacity', removedIn: '1.27' });
    expect(ApiRemovals.between(KubeVersion.V1_27, KubeVersion.V1_28)).toEqual([]);
  });

  test('the shipped table is the reference table', () => {
    const ref = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'api-removals.json');
    const shipped = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'data', 'api-removals.json'), 'utf-8'));
    expect(ApiRemovals.all()).toHaveLength(shipped.removals.length);
    if (fs.existsSync(ref)) expect(JSON.parse(fs.readFileSync(ref, 'utf-8'))).toEqual(shipped);
  });
});
