import * as fs from 'fs';
import * as YAML from 'yaml';
import { ValidationError } from '../core/errors';

// The one YAML writer of the library: every manifest file and the generated
// .gitlab-ci.yml go through `renderManifests`/`renderYaml`.
//
// Readers of what we write, and how they type an unquoted (plain) scalar:
// - kubectl / the API machinery: sigs.k8s.io/yaml → go-yaml v2 (YAML 1.1 with
//   Go's own number syntax: `0XFF`, `0o17`, `0B11`, `+_1`, `1e3_0` are
//   numbers because it strips every `_` and calls strconv.ParseInt(s, 0, 64));
// - GitLab: Ruby's Psych (YAML 1.1: `yes`/`On`/`oFF` in any case, `1:20`,
//   dates, `1,000`, `:symbol`);
// - the yaml package with `version: '1.1'` (its 1.1 schema).
// The yaml package already quotes what its own 1.1 schema would read as
// something else; `readsAsNonString` adds the forms the other two readers
// resolve, and those strings are written double-quoted.

const BOOL_OR_NULL = /^(?:y|n|yes|no|true|false|on|off|null|~)$/i;
const SPECIAL_FLOAT = /^[-+]?\.(?:inf|nan)$/i;
const MERGE_OR_VALUE_KEY = /^(?:<<|=)$/;
const RUBY_SYMBOL = /^:./;
const TIMESTAMP = /^[-+]?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt\s])/;
const SEXAGESIMAL = /^[-+]?[0-9][0-9_,]*(?::[0-5]?[0-9])+(?:\.[0-9_,]*)?$/;
/** Go's ParseInt/ParseUint with base 0 (after go-yaml removed every `_`), and Psych's integers (without `,` and `_`). */
const INTEGER = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/;
/** go-yaml's `yamlStyleFloat`, Go's ParseFloat for a leading `.`, and Psych's floats (`1.`, `.`, `1,0.5`). */
const FLOAT = /^[-+]?(?:\.[0-9]*|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * True when a YAML 1.1 or Go reader (kubectl, GitLab) would read `value`,
 * written as a plain (unquoted) scalar, as something other than that string:
 * a boolean, null, number, timestamp, symbol or merge key.
 */
export function readsAsNonString(value: string): boolean {
  if (value === '') return true;
  if (BOOL_OR_NULL.test(value) || SPECIAL_FLOAT.test(value) || MERGE_OR_VALUE_KEY.test(value) || RUBY_SYMBOL.test(value)) return true;
  if (!/^[-+.0-9]/.test(value)) return false;
  if (TIMESTAMP.test(value) || SEXAGESIMAL.test(value)) return true;
  const digits = value.replace(/[_,]/g, '');
  return INTEGER.test(digits) || FLOAT.test(digits);
}

const OPTIONS = {
  version: '1.1',
  // without the merge tag, a `<<` string is an ordinary string (written quoted), not a merge key
  customTags: (tags: YAML.Tags) => tags.filter(t => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:merge'),
  lineWidth: 0,
  keepUndefined: true,
} as const;

/**
 * One YAML document that every YAML 1.1 / Go reader reads back as `value`:
 * strings those readers would take for another type are double-quoted.
 */
export function renderYaml(value: any): string {
  const doc = new YAML.Document(value, OPTIONS);
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && readsAsNonString(node.value)) node.type = YAML.Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString(OPTIONS);
}

/**
 * Kubernetes objects as one multi-document YAML file (documents separated by
 * `---`), in the layout cdk8s writes, with every string quoted where kubectl
 * (YAML 1.1, Go) would otherwise read it as a number, boolean, null or
 * timestamp.
 *
 * @param docs the objects, in file order
 */
export function renderManifests(docs: any[]): string {
  return docs.map(d => (d === undefined ? '\n' : renderYaml(d))).join('---\n');
}

/** Writes `docs` to `file` with `renderManifests`; failures become a `ValidationError`. */
export function writeManifestFile(file: string, docs: any[]): void {
  let text: string;
  try {
    text = renderManifests(docs);
  } catch (e: any) {
    throw new ValidationError(`${file}: the manifests cannot be written as YAML: ${e?.message ?? String(e)}`, file, 'manifests');
  }
  try {
    fs.writeFileSync(file, text, { encoding: 'utf8' });
  } catch (e: any) {
    throw new ValidationError(`${file}: cannot write the manifest file: ${e?.message ?? String(e)}`, file, 'outdir');
  }
}
