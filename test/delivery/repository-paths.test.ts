import { shopDelivery } from './helpers';
import { ValidationError } from '../../src';

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
