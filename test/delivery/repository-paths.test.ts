import { Duration } from 'cdk8s';
import { shopDelivery } from './helpers';
import { Environment, ValidationError } from '../../src';

describe('pipeline folders stay inside the repository', () => {
  test.each([
    ['manifestsDir', '../elsewhere'],
    ['manifestsDir', '/srv/manifests'],
    ['warsDir', '../../target'],
    ['warsDir', 'target/../../x'],
  ])('pipeline.%s %j is refused', (field, value) => {
    const make = () => shopDelivery({ pipeline: { [field]: value } as any });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(`pipeline.${field}: "${value}" must be a folder inside the repository`);
  });
  test('folders inside it are fine', () => {
    expect(() => shopDelivery({ pipeline: { manifestsDir: 'dist', warsDir: 'build/libs' } })).not.toThrow();
  });
});

describe('Environment.rolloutTimeout', () => {
  test.each([
    [Duration.seconds(NaN), 'rolloutTimeout: "(NaN or Infinity)" must be a finite duration'],
    [Duration.seconds(Infinity), 'rolloutTimeout: "(NaN or Infinity)" must be a finite duration'],
    ['10m', 'rolloutTimeout: "10m" must be a Duration'],
  ])('%s is refused', (rolloutTimeout, message) => {
    const make = () => Environment.of({ name: 'prod', registry: 'r.example.com', namespace: 'x', rolloutTimeout: rolloutTimeout as any });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(`Environment(prod): ${message}`);
  });
});
