// Every ```ts block of README.md and docs/*.md is a complete program that a user can
// paste into main.ts: it is type-checked (strict, against src/ as `cdk8s-paas`) and run
// in a temporary folder, and what it synthesizes is validated. A block that cannot stand
// alone carries `<!-- snippet: fragment (why) -->` above it; that stays rare.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { markdownBlocks } from '../../scripts/markdown-blocks';
import * as library from '../../src';
import { PodSecurityLevel } from '../../src/validate/pod-security';
import { expectValidManifests } from '../fixtures/validate';

const ROOT = path.resolve(__dirname, '..', '..');
const MARKDOWN = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`)];
const FRAGMENT = /^snippet: fragment \((.+)\)$/;

interface Snippet {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly marker?: string;
  readonly fragment?: string;
  /** The snippet's file name in the temporary folder. */
  readonly name: string;
}

const snippets: Snippet[] = MARKDOWN.flatMap(file => markdownBlocks(fs.readFileSync(path.join(ROOT, file), 'utf-8'))
  .filter(b => b.lang === 'ts')
  .map(b => ({
    file,
    line: b.line,
    code: b.code,
    marker: b.marker,
    fragment: FRAGMENT.exec(b.marker ?? '')?.[1],
    name: `${file.replace(/[/.]/g, '_')}_${b.line}.ts`,
  })));
const runnable = snippets.filter(s => s.fragment === undefined);

// the environment the snippets read (AppSecret.fromEnv, RegistryCredentials.fromEnv, the hash key)
const ENV: { [name: string]: string } = {
  DB_USER: 'snippet-user',
  DB_PASSWORD: 'snippet-password',
  REGISTRY_PASSWORD: 'snippet-registry-password',
  CDK8S_PAAS_SECRET_HASH_KEY: 'snippet-test-key-0123456789abcdef0123456789',
  CDK8S_PAAS_QUIET_WARNINGS: '1',
};
// files the snippets name relative to their project folder
const PROJECT_FILES: { [name: string]: string } = {
  'conf/server.xml': path.join(ROOT, 'examples', 'config-and-secrets', 'conf', 'server.xml'),
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snippets-'));
  for (const s of runnable) fs.writeFileSync(path.join(dir, s.name), `${s.code}export {};\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `file.md:line` of a position in a snippet's temporary file. */
function where(s: Snippet, lineInSnippet: number): string {
  return `${s.file}:${s.line + 1 + lineInSnippet}`;
}

test('the docs have TypeScript snippets, and few fragments, each with a reason', () => {
  expect(runnable.length).toBeGreaterThanOrEqual(10);
  expect(MARKDOWN).toEqual(expect.arrayContaining(['README.md', 'docs/config.md', 'docs/tenancy.md', 'docs/monitoring.md']));
  const fragments = snippets.filter(s => s.fragment !== undefined);
  expect(fragments.length).toBeLessThanOrEqual(2);
  // a marker that is not exactly the fragment form is a typo that would silently run the block
  for (const s of snippets) {
    expect([`${s.file}:${s.line}`, s.marker === undefined || s.marker === 'file: main.ts' || FRAGMENT.test(s.marker)]).toEqual([`${s.file}:${s.line}`, true]);
  }
});

test('every snippet type-checks (strict) against the library as `cdk8s-paas`', () => {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    baseUrl: ROOT,
    paths: { 'cdk8s-paas': ['src/index.ts'], '*': ['node_modules/*', 'node_modules/@types/*'] },
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    types: ['node'],
  };
  const program = ts.createProgram(runnable.map(s => path.join(dir, s.name)), options);
  const problems = ts.getPreEmitDiagnostics(program).map(d => {
    const s = d.file && runnable.find(x => path.join(dir, x.name) === path.resolve(d.file!.fileName));
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const loc = s && at ? where(s, at.line) : d.file?.fileName ?? '';
    return `${loc}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(problems).toEqual([]);
});

describe.each(runnable.map(s => [`${s.file}:${s.line}`, s] as const))('%s', (_, s) => {
  test('runs and synthesizes valid manifests', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'run-'));
    for (const [rel, src] of Object.entries(PROJECT_FILES)) {
      fs.mkdirSync(path.dirname(path.join(cwd, rel)), { recursive: true });
      fs.copyFileSync(src, path.join(cwd, rel));
    }
    const js = ts.transpileModule(s.code, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    // the snippet shares this test's module registry, so its cdk8s is the library's cdk8s
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const req = (id: string) => (id === 'cdk8s-paas' ? library : require(id));
    const logged: string[] = [];
    const saved = { cwd: process.cwd(), env: Object.fromEntries([...Object.keys(ENV), 'CDK8S_OUTDIR'].map(k => [k, process.env[k]])) };
    try {
      process.chdir(cwd);
      Object.assign(process.env, ENV);
      delete process.env.CDK8S_OUTDIR;
      const module = { exports: {} };
      const quiet = { ...console, log: (...a: unknown[]) => { logged.push(a.join(' ')); } };
      new Function('require', 'module', 'exports', '__filename', '__dirname', 'console', js)(req, module, module.exports, path.join(cwd, 'main.ts'), cwd, quiet);
    } finally {
      process.chdir(saved.cwd);
      for (const [k, v] of Object.entries(saved.env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const written = walk(cwd).filter(f => f.endsWith('.k8s.yaml'));
    expect(written.length).toBeGreaterThan(0);
    const manifests = written.flatMap(f => parseAllDocuments(fs.readFileSync(f, 'utf-8')).map(d => d.toJS()))
      .filter((m: any) => m);
    expect(manifests.length).toBeGreaterThan(0);
    // a second oracle: strict 1.27 schema; Pod Security at the level each namespace's labels give
    const levels = new Map<string, PodSecurityLevel>(manifests.filter((m: any) => m.kind === 'Namespace')
      .map((m: any) => [m.metadata.name, m.metadata.labels?.['pod-security.kubernetes.io/enforce'] ?? PodSecurityLevel.RESTRICTED]));
    for (const level of Object.values(PodSecurityLevel)) {
      const atLevel = manifests.filter((m: any) => (levels.get(m.metadata?.namespace) ?? PodSecurityLevel.RESTRICTED) === level);
      expectValidManifests(atLevel, { podSecurity: level });
    }
  });
});

function walk(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
}
