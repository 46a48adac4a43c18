import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments, ScalarTag, Tags } from 'yaml';

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

// kubectl reads YAML with go-yaml v2 (through sigs.k8s.io/yaml): YAML 1.1
// (`yes`, `on`, `y` are booleans, `0775` is octal), plus Go's own numbers
// (every `_` removed, then strconv's base prefixes `0x`/`0X`, `0o`/`0O`,
// `0b`/`0B`), timestamps kept as strings and no sexagesimal numbers. The CLI
// reads the same values, so it judges what kubectl would send.
const GO_INT = /^(?=[-+0-9])[-+]?_*(?:0_*[xX]_*[0-9a-fA-F][0-9a-fA-F_]*|0_*[oO]_*[0-7][0-7_]*|0_*[bB]_*[01][01_]*|[0-9][0-9_]*)$/;
// go-yaml's yamlStyleFloat after removing every `_`; a leading `.` goes to strconv.ParseFloat as is
const GO_FLOAT = /^(?:(?=[-+0-9])[-+]?_*(?:\._*[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE]_*(?:[-+]_*)?[0-9][0-9_]*)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)$/;
const goInt: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: GO_INT,
  resolve: (src: string) => {
    const s = src.replace(/_/g, '');
    const sign = s.startsWith('-') ? -1 : 1;
    const digits = s.replace(/^[-+]/, '');
    const prefixed = /^0[xXoObB]/.test(digits);
    const octal = /^0[0-7]+$/.test(digits);
    const base = prefixed ? { x: 16, o: 8, b: 2 }[digits[1].toLowerCase() as 'x' | 'o' | 'b'] : octal ? 8 : 10;
    const v = base === 10 ? Number(digits) : parseInt(prefixed ? digits.slice(2) : digits, base);
    return sign * v;
  },
};
const goFloat: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: GO_FLOAT,
  // out of float64's range, Go keeps the string
  resolve: (src: string) => {
    const v = Number(src.replace(/_/g, ''));
    return Number.isFinite(v) ? v : src;
  },
};
const KUBECTL_TAGS = (tags: Tags): Tags => [
  goInt,
  goFloat,
  // YAML 1.1's own numbers (all but .inf/.nan), timestamps and sexagesimals are not Go's
  ...tags.filter(t => typeof t === 'string' || !(t.tag === 'tag:yaml.org,2002:timestamp' || t.format === 'TIME'
    || (/2002:(int|float)$/.test(t.tag) && !(t.test instanceof RegExp && t.test.test('.inf'))))),
];

/**
 * Alias expansions allowed per byte of the file: bounded by the file's size
 * (a "billion laughs" file is refused, like kubectl refuses "excessive
 * aliasing"), never a legitimate List that reuses an anchor in every item.
 */
const ALIAS_EXPANSION_PER_BYTE = 1;

/** Reads and parses one multi-document YAML (or JSON) file. */
export function readInput(file: string): InputFile {
  let text: string;
  try {
    const buf = readRegularFile(file);
    if (typeof buf === 'string') return { file, objects: [], notObjects: [], error: buf };
    if (buf.includes(0)) return { file, objects: [], notObjects: [], error: 'cannot be read as YAML: it is a binary file (it contains NUL bytes)' };
    text = buf.toString('utf-8');
  } catch (e: any) {
    const why = e?.code === 'ENOENT' ? 'no such file or directory' : e?.code === 'EACCES' ? 'permission denied' : e?.code === 'EISDIR' ? 'is a directory' : String(e?.message ?? e);
    return { file, objects: [], notObjects: [], error: `cannot be read: ${why}` };
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, version: '1.1', customTags: KUBECTL_TAGS });
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
  const maxAliasCount = Math.max(100, text.length * ALIAS_EXPANSION_PER_BYTE);
  const values: any[] = [];
  for (const doc of list) {
    try {
      values.push(doc.toJS({ maxAliasCount }));
    } catch (e: any) {
      const why = /alias/i.test(String(e?.message)) ? `its aliases expand to more than ${maxAliasCount} nodes (a resource exhaustion attack, or a file kubectl refuses too)` : firstLine(String(e?.message ?? e));
      return { file, objects: [], notObjects: [], error: `is not accepted: ${why}` };
    }
  }
  list.forEach((doc, i) => {
    const value = values[i];
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
  objects.forEach(o => notObjects.push(...dataProblems(o)));
  return { file, objects, notObjects };
}

/**
 * The bytes of `file`, or why it is refused: only a regular file is read (a
 * FIFO, socket or device named `*.yaml` would block or never end). Opened
 * without blocking, then checked on the open descriptor.
 */
function readRegularFile(file: string): Buffer | string {
  // eslint-disable-next-line no-bitwise
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return 'cannot be read: is a directory';
    if (!st.isFile()) {
      const what = st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
      return `cannot be read: it is ${what}, not a regular file; pass files or folders of manifests`;
    }
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The API server's limit on the keys and values of one ConfigMap or Secret (1 MiB). */
const MAX_DATA_BYTES = 1024 * 1024;
// Go's encoding/json reads []byte with base64.StdEncoding, which skips \r and \n
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * What the API server would refuse in a ConfigMap's or Secret's data, as
 * messages that name keys and sizes, never values: a total above 1 MiB, and
 * `data` / `binaryData` values that are not base64.
 */
function dataProblems(o: InputObject): string[] {
  const m = o.manifest;
  if (m?.apiVersion !== 'v1' || (m.kind !== 'ConfigMap' && m.kind !== 'Secret')) return [];
  const ref = `${m.kind} ${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name ?? '?'} (line ${o.line})`;
  const problems: string[] = [];
  let total = 0;
  const encoded = m.kind === 'Secret' ? 'data' : 'binaryData';
  const plain = m.kind === 'Secret' ? 'stringData' : 'data';
  for (const field of [encoded, plain]) {
    const map = m[field];
    if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
    for (const key of Object.keys(map)) {
      const v = map[key];
      if (typeof v !== 'string') continue; // the schema check reports the type
      total += Buffer.byteLength(key);
      if (field === encoded) {
        const b64 = v.replace(/[\r\n]/g, '');
        if (!BASE64.test(b64)) {
          problems.push(`${ref}: ${field}.${key}: (value hidden) is not base64: the API server decodes ${field} values as standard base64; `
            + `encode the value (base64 -w0)${m.kind === 'Secret' ? ' or put the plain text under stringData' : ' or put text under data'}`);
        }
        total += Math.floor(b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
      } else {
        total += Buffer.byteLength(v);
      }
    }
  }
  if (total > MAX_DATA_BYTES) {
    problems.push(`${ref}: data: ${total} bytes of keys and values exceed the API server's limit of ${MAX_DATA_BYTES} bytes (1 MiB): split it or mount large files from elsewhere`);
  }
  return problems;
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/\s+at line \d+, column \d+:?$/, '').trim();
}
