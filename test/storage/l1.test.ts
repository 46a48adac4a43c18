import * as fs from 'fs';
import { structKey } from '../../src/storage/l1';

// The L1 mappers of cdk8s-plus-27 read `obj.<structKey>` for each JSON field:
// structKey must give the same name for every field of every definition, or
// the field is silently dropped from the YAML.
test('structKey matches every field name of the cdk8s-plus-27 L1 mappers', () => {
  const src = fs.readFileSync(require.resolve('cdk8s-plus-27/lib/imports/k8s.js'), 'utf-8');
  const pairs = [...src.matchAll(/'([A-Za-z][A-Za-z0-9]*)': (?:\(\(obj\.|obj\.|.*?obj\.)([A-Za-z0-9]+)/g)];
  expect(pairs.length).toBeGreaterThan(1000);
  const wrong = pairs.filter(([, json, struct]) => structKey(json) !== struct).map(([, json, struct]) => `${json} → ${struct}`);
  expect(wrong).toEqual([]);
  expect(structKey('volumeID')).toBe('volumeId');
  expect(structKey('targetWWNs')).toBe('targetWwNs');
  expect(structKey('datasetUUID')).toBe('datasetUuid');
  expect(structKey('readOnly')).toBe('readOnly');
});
