import * as kplus from 'cdk8s-plus-27';
import { appendContainerArgs, moveEnvVariablesToEnd, volumeJson } from '../../src/core/cdk8s-compat';
import { synthManifests, testChart } from '../fixtures/synth';
import { findObject } from '../fixtures/validate';

// Each internal of cdk8s-plus-27 the library uses, on the installed version
// (CI runs this on the pinned and on the newest allowed versions).

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('cdk8s-plus-27/package.json').version;

function deployment() {
  // pod security is not what these tests are about
  const chart = testChart({ validation: false });
  const d = new kplus.Deployment(chart, 'd', { metadata: { name: 'd' } });
  const c = d.addContainer({ name: 'c', image: 'registry.example.com/c:1', args: ['--one'], envVariables: { A: kplus.EnvValue.fromValue('a'), B: kplus.EnvValue.fromValue('b') } });
  return { chart, d, c };
}

describe(`cdk8s-compat on cdk8s-plus-27 ${version}`, () => {
  test('volumeJson reads a volume\'s source', () => {
    const { chart } = deployment();
    const cm = new kplus.ConfigMap(chart, 'cm', { metadata: { name: 'cm' } });
    expect(volumeJson(kplus.Volume.fromConfigMap(chart, 'v', cm))).toEqual(expect.objectContaining({ name: expect.any(String), configMap: expect.objectContaining({ name: 'cm' }) }));
  });

  test('moveEnvVariablesToEnd reorders the rendered variables', () => {
    const { chart, c } = deployment();
    moveEnvVariablesToEnd(c.env, ['A']);
    const container = findObject(synthManifests(chart), 'Deployment').spec.template.spec.containers[0];
    expect(container.env.map((e: any) => e.name)).toEqual(['B', 'A']);
  });

  test('appendContainerArgs appends to the rendered args', () => {
    const { chart, c } = deployment();
    appendContainerArgs(c, ['--two']);
    const container = findObject(synthManifests(chart), 'Deployment').spec.template.spec.containers[0];
    expect(container.args).toEqual(['--one', '--two']);
  });

  test('an internal that is not there is a ValidationError naming the version, not wrong output', () => {
    const { chart, c } = deployment();
    const v = kplus.Volume.fromEmptyDir(chart, 'e', 'e');
    Object.defineProperty(v, '_toKube', { value: undefined });
    expect(() => volumeJson(v)).toThrow(`cdk8s-plus-27: version: "${version}" is not supported by this cdk8s-paas: Volume has no _toKube()`);
    Object.defineProperty(c.env, '_variables', { value: undefined });
    expect(() => moveEnvVariablesToEnd(c.env, ['A'])).toThrow('Env has no _variables to reorder');
    Object.defineProperty(c, 'args', { get: () => ['--one'] });
    expect(() => appendContainerArgs(c, ['--two'])).toThrow('Container.args does not read _args');
  });
});
