import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { imageParts, isImageDigest, isImageReference, isRegistry, joinImage } from '../../src/core/image-ref';
import { cutLabel, dnsLabelFromId, toDnsLabel } from '../../src/core/names';
import { tenantNamespaceOf, tenantScopeOf } from '../../src/core/tenant-scope';
import { Tenant } from '../../src/tenancy';

describe('the DNS label of a construct id (core/names)', () => {
  test.each([
    ['WebApp', undefined, 'webapp'],
    ['db_config', undefined, 'db-config'],
    ['--Shop..Front--', undefined, 'shop-front'],
    ['a'.repeat(62) + '-b', 63, 'a'.repeat(62)],
    ['___', undefined, ''],
  ])('%s (max %s) → %s', (id, max, label) => {
    expect(dnsLabelFromId(id, max)).toBe(label);
  });

  test('cutLabel leaves no trailing "-"; toDnsLabel refuses what does not fit', () => {
    expect(cutLabel('config-abc-', 11)).toBe('config-abc');
    expect(toDnsLabel('x'.repeat(64))).toBeUndefined();
    expect(toDnsLabel('___')).toBeUndefined();
    expect(toDnsLabel('My_Id')).toBe('my-id');
  });
});

describe('image references (core/image-ref)', () => {
  test('the grammar, the registry host rule and split/join', () => {
    expect(isImageReference('registry.example.com:5000/team/app:1.4.0')).toBe(true);
    expect(isImageReference('Team/App')).toBe(false);
    expect(isRegistry('localhost')).toBe(true);
    expect(isRegistry('team')).toBe(false);
    expect(isImageDigest(`sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(isImageDigest(`sha256:${'A'.repeat(64)}`)).toBe(false);
    const parts = imageParts('registry.example.com/team/app:1.4.0');
    expect(parts).toEqual({ registry: 'registry.example.com', repository: 'team/app', tag: '1.4.0', digest: undefined });
    expect(imageParts('team/app')).toEqual({ repository: 'team/app', tag: undefined, digest: undefined });
    expect(joinImage({ ...parts, tag: undefined, digest: `sha256:${'0'.repeat(64)}` })).toBe(`registry.example.com/team/app@sha256:${'0'.repeat(64)}`);
  });
});

describe('the one tenant lookup (core/tenant-scope)', () => {
  test('Tenant.of, tenantScopeOf and tenantNamespaceOf agree', () => {
    const chart = Testing.chart();
    const tenant = new Tenant(chart, 'team-a');
    const inner = new Construct(new Construct(tenant, 'x'), 'y');
    expect(Tenant.of(inner)).toBe(tenant);
    expect(tenantScopeOf(inner)).toBe(tenant);
    expect(tenantNamespaceOf(inner)).toBe('team-a');
    expect(Tenant.of(chart)).toBeUndefined();
    expect(tenantNamespaceOf(chart)).toBeUndefined();
  });
});
