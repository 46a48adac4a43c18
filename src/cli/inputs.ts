import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments } from 'yaml';

/** One Kubernetes object read from a file. */
export interface InputObject {
  /** The parsed object. */
  readonly manifest: any;
  /** 1-based line where its document (or List item) starts. */
  readonly line: number;
}

/** One input file: its objects, or why it could not be used. */
export interface InputFile {
  readonly file: string;
  readonly objects: InputObject[];
  /** Set when the file is unreadable or not YAML/JSON; `objects` is then empty. */
  readonly error?: string;
  /** Documents that are YAML but not Kubernetes objects, as messages. */
  readonly notObjects: string[];
}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * The files named on the command line: files as given (any extension),
 * directories searched recursively for *.yaml, *.yml and *.json.
 */
export function collectFiles(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(a);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) out.push(...walk(a));
    else out.push(a);
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) out.push(...walk(p));
    } else if (!e.name.startsWith('.') && EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
      // hidden files (.gitlab-ci.yml, .pre-commit-config.yaml …) are tool configuration, not manifests
      out.push(p);
    }
  }
  return out;
}

/** Reads and parses one multi-document YAML (or JSON) file. */
export function readInput(file: string): InputFile {
  let text: string;
  try {
    const buf = fs.readFileSync(file);
    if (buf.includes(0)) return { file, objects: [], notObjects: [], error: 'cannot be read as YAML: it is a binary file (it contains NUL bytes)' };
    text = buf.toString('utf-8');
  } catch (e: any) {
    const why = e?.code === 'ENOENT' ? 'no such file or directory' : e?.code === 'EACCES' ? 'permission denied' : e?.code === 'EISDIR' ? 'is a directory' : String(e?.message ?? e);
    return { file, objects: [], notObjects: [], error: `cannot be read: ${why}` };
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const pos = lineCounter.linePos(err.pos[0]);
      return { file, objects: [], notObjects: [], error: `is not valid YAML: line ${pos.line}, column ${pos.col}: ${firstLine(err.message)}` };
    }
  }
  const objects: InputObject[] = [];
  const notObjects: string[] = [];
  list.forEach((doc, i) => {
    const value = doc.toJS({ maxAliasCount: 100 });
    const line = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : 1;
    if (value === null || value === undefined) return; // empty document
    if (typeof value !== 'object' || Array.isArray(value)) {
      notObjects.push(`document ${i + 1} (line ${line}) is not a Kubernetes object: expected a mapping with apiVersion and kind, got ${Array.isArray(value) ? 'a sequence' : `the ${typeof value} ${JSON.stringify(value).slice(0, 40)}`}`);
      return;
    }
    // kubectl's List wrapper (`kind: List`, `kind: DeploymentList` …): validate its items
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      const items = (doc.contents as any)?.get?.('items', true)?.items ?? [];
      value.items.forEach((item: any, j: number) => {
        const r = items[j]?.range;
        objects.push({ manifest: item, line: r ? lineCounter.linePos(r[0]).line : line });
      });
      return;
    }
    objects.push({ manifest: value, line });
  });
  return { file, objects, notObjects };
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/\s+at line \d+, column \d+:?$/, '').trim();
}
