import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

function validate(text: string): { code: number; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-data-'));
  const file = path.join(dir, 'in.yaml');
  fs.writeFileSync(file, text);
  let out = '';
  const code = main(['validate', file], { stdout: s => { out += s; }, stderr: s => { out += s; } });
  return { code, out };
}

describe('cdk8s-paas validate: what the API server refuses in ConfigMap and Secret data', () => {
  test('a ConfigMap above 1 MiB is an error naming the size and the limit', () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const r = validate(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: shop\ndata:\n  blob: ${big}\n`);
    expect(r.code).toBe(1);
    expect(r.out).toContain('ConfigMap shop/big (line 1): data: 2097156 bytes of keys and values exceed the API server\'s limit of 1048576 bytes (1 MiB)');
  });

  test('non-base64 Secret data is an error that hides the value', () => {
    const r = validate('apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\ndata:\n  password: hunter2!secret\n');
    expect(r.code).toBe(1);
    expect(r.out).toContain('Secret shop/db (line 1): data.password: (value hidden) is not base64');
    expect(r.out).not.toContain('hunter2');
  });

  test('base64 Secret data and a small ConfigMap pass', () => {
    const r = validate('apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\ndata:\n  password: aHVudGVyMg==\n'
      + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\ndata:\n  a: b\n');
    expect(r.out).not.toContain('base64');
    expect(r.code).toBe(0);
  });
});
