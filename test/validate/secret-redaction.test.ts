import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { AppSecret, ManifestValidator, PaasApp, PaasChart, ValidationError } from '../../src';
import { main } from '../../src/cli/main';
import { thrown } from '../fixtures/thrown';

// No Secret value in any message, whatever the field it is set on.
const VALUE = 'Sup3r-S3cret-Val';
const B64 = Buffer.from(VALUE).toString('base64');

/** A Secret with values in the wrong places: a misspelt stringData, a non-string data value, an unknown top-level field. */
function badSecret(): any {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop', labels: { app: 'shop' } },
    type: 'Opaque',
    stringdata: { password: VALUE },
    data: { token: 42, other: B64 },
    passwrd: VALUE,
  };
}

function expectNoValue(text: string): void {
  expect(text).not.toContain(VALUE);
  expect(text).not.toContain(B64);
  expect(text).not.toMatch(/\b42\b/);
}

test('ManifestValidator findings name the fields, never the values', () => {
  const findings = ManifestValidator.validateObject(badSecret());
  const fields = findings.map(f => f.field).sort();
  expect(fields).toEqual(['data.token', 'passwrd', 'stringdata']);
  for (const f of findings) {
    expectNoValue(f.message);
    expect(f.message).toContain('(secret value hidden)');
  }
  // a non-secret field of a Secret still shows its value
  const { stringdata, passwrd, ...rest } = badSecret();
  const typed = ManifestValidator.validateObject({ ...rest, data: {}, type: 7 });
  expect(typed.map(f => f.message)).toEqual([expect.stringContaining('type: 7 has the wrong type')]);
});

test('the synth error names the fields, never the values', () => {
  const app = new PaasApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'redact-')) });
  new ApiObject(new Chart(app, 'c'), 'db', badSecret());
  const err = thrown(() => app.synth());
  expect(err).toBeInstanceOf(ValidationError);
  expect(err.message).toContain('stringdata: (secret value hidden) is set on unknown field "stringdata"');
  expectNoValue(err.message);
});

test('a non-string literal is a ValidationError without the value (not a TypeError that carries it)', () => {
  const chart = new PaasChart(new PaasApp(), 'c', { namespace: 'shop' });
  const err = thrown(() => AppSecret.fromLiterals(chart, 'pin', { data: { pin: 4711 as any }, acknowledgePlaintext: true }));
  expect(err).toBeInstanceOf(ValidationError);
  expect(err.message).toBe('c/pin: data.pin: (secret value hidden, a number) must be a string');
});

describe('cdk8s-paas validate', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redact-cli-')), 'secret.yaml');
  beforeAll(() => fs.writeFileSync(file, JSON.stringify(badSecret())));
  function run(...argv: string[]): { code: number; out: string } {
    let out = '';
    const code = main(argv, { stdout: s => { out += s; }, stderr: s => { out += s; } });
    return { code, out };
  }

  test('text output', () => {
    const r = run('validate', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('stringdata: (secret value hidden)');
    expectNoValue(r.out);
  });

  test('JSON output', () => {
    const r = run('validate', file, '--format', 'json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.files[0].findings.map((f: any) => f.field).sort()).toEqual(['data.token', 'passwrd', 'stringdata']);
    expectNoValue(r.out);
  });
});
