import * as fs from 'fs';
import * as path from 'path';
import { loadESLint } from 'eslint';

// The layers of src/ (docs: GUIDE section 1): core -> L1 (imports) -> pure
// (validate, reach) -> L2 (network, storage, config, monitoring) -> L3 (app,
// tenancy, operations) -> platform -> delivery (one PaasApp per environment) and cli.
const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

/** For each folder of src/, the folders it may import. */
const ALLOWED: { [folder: string]: string[] } = {
  core: [],
  imports: [],
  validate: ['core'],
  reach: ['core', 'validate'],
  network: ['core', 'imports', 'validate', 'reach'],
  storage: ['core', 'imports', 'validate'],
  config: ['core', 'validate'],
  monitoring: ['core', 'imports', 'validate'],
  app: ['core', 'imports', 'validate', 'config', 'network', 'storage', 'monitoring'],
  tenancy: ['core', 'imports', 'validate', 'reach', 'config', 'network', 'storage', 'monitoring'],
  operations: ['core', 'imports', 'validate', 'network', 'storage'],
  platform: ['core', 'imports', 'validate', 'reach', 'config', 'network', 'storage', 'monitoring', 'app', 'tenancy', 'operations'],
  delivery: ['core', 'imports', 'validate', 'config', 'app', 'platform'],
  cli: ['core', 'validate', 'reach', 'config', 'network', 'storage', 'monitoring', 'app', 'tenancy', 'operations', 'platform', 'delivery'],
};

const IMPORT = /(?:\bfrom|\bimport|\brequire\(|\bimport\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The folder of src/ a file lives in; `(root)` for src/index.ts. */
function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

/** folder -> folder -> one example import (file: specifier). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of tsFiles(SRC)) {
    const from = folderOf(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = folderOf(path.resolve(path.dirname(file), m[1]));
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, `${path.relative(ROOT, file)}: '${m[1]}'`);
    }
  }
  return graph;
}

/** The folder cycles of a graph, each as `a -> b -> a`. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const next of graph.get(n)?.keys() ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('the folder graph of src/', () => {
  const graph = folderGraph();

  test('every folder of src/ has a place in the layers', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name).sort();
    expect(folders).toEqual(Object.keys(ALLOWED).sort());
  });

  test('each folder imports only the folders below it', () => {
    const violations: string[] = [];
    for (const [from, targets] of graph) {
      if (from === '(root)') continue;
      for (const [to, example] of targets) {
        if (!ALLOWED[from].includes(to)) violations.push(`${from} -> ${to} (${example})`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('no folder import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test('L2 folders import no L3 folder; core imports nothing of ours', () => {
    const targetsOf = (f: string) => [...(graph.get(f)?.keys() ?? [])];
    for (const l2 of ['network', 'storage', 'config', 'monitoring']) {
      expect(targetsOf(l2).filter(t => ['app', 'tenancy', 'delivery', 'operations', 'platform', 'cli', '(root)'].includes(t))).toEqual([]);
    }
    expect(targetsOf('core')).toEqual([]);
  });

  test('the cycle finder finds a cycle (self-check)', () => {
    const g = new Map([['a', new Map([['b', '']])], ['b', new Map([['c', '']])], ['c', new Map([['a', '']])]]);
    expect(cycles(g)).toEqual(['a -> b -> c -> a']);
  });
});

describe('eslint import/no-restricted-paths keeps the layers', () => {
  jest.setTimeout(120_000);

  /** Lints `text` as if it were the file `file` (relative to the repo), with the repo's .eslintrc.json. */
  async function restrictedPaths(file: string, text: string): Promise<string[]> {
    const ESLint = await loadESLint({ useFlatConfig: false });
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, file) });
    return result.messages.filter(m => m.ruleId === 'import/no-restricted-paths').map(m => m.message);
  }

  const peer = 'src/network/peer.ts';
  const peerSource = fs.readFileSync(path.join(ROOT, peer), 'utf8');

  test('an L2 file as it is passes', async () => {
    expect(await restrictedPaths(peer, peerSource)).toEqual([]);
  });

  test('an L2 file that imports L3 (TomcatApp) fails', async () => {
    const text = `import { TomcatApp } from '../app/tomcat-app';\n${peerSource}\nexport type LayerProbe = TomcatApp;\n`;
    const messages = await restrictedPaths(peer, text);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/an L2 folder never imports L3 or the platform/);
  });

  test('an L2 file that imports the platform fails', async () => {
    const text = `import { PaasApp } from '../platform/paas-app';\n${peerSource}\nexport type LayerProbe = PaasApp;\n`;
    expect(await restrictedPaths(peer, text)).toHaveLength(1);
  });

  test('core that imports validate fails', async () => {
    const file = 'src/core/names.ts';
    const text = `import { checkDnsLabel } from '../validate/rules';\n${fs.readFileSync(path.join(ROOT, file), 'utf8')}\nexport const layerProbe = checkDnsLabel;\n`;
    const messages = await restrictedPaths(file, text);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/src\/core is the leaf layer/);
  });

  test('reach that imports network fails', async () => {
    const file = 'src/reach/labels.ts';
    const text = `import { Selector } from '../network/selector';\n${fs.readFileSync(path.join(ROOT, file), 'utf8')}\nexport type LayerProbe = Selector;\n`;
    const messages = await restrictedPaths(file, text);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/src\/validate and src\/reach are pure/);
  });
});
