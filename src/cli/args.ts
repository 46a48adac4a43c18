// Argument helpers shared by the `cdk8s-paas` commands: option parsing,
// Kubernetes versions (with the data's range), and inputs including `-` (stdin).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliCommand, CliIo, ParsedArgs, UsageError } from './command';
import { collectFiles, InputFile, readInput } from './inputs';
import { KubeVersion } from '../core/kube-version';
import { ApiRemovals } from '../validate/api-removals';

/** How standard input is named in messages and reports. */
export const STDIN_NAME = '<stdin>';

/**
 * Parses a command's arguments: positionals, `--name value`, `--name=value`,
 * `-` (standard input) and `--` (everything after it is a positional).
 */
export function parseCommandArgs(command: CliCommand, argv: string[]): ParsedArgs {
  const paths: string[] = [];
  const flags: { [name: string]: string } = {};
  const expected = () => command.flags.map(f => `--${f}`).join(', ');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      paths.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-' || !a.startsWith('-')) {
      paths.push(a);
      continue;
    }
    if (!a.startsWith('--')) throw new UsageError(`unknown option "${a}" for ${command.name}: expected ${expected()}`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!command.flags.includes(name)) throw new UsageError(`unknown option "--${name}" for ${command.name}: expected ${expected()}`);
    const value = eq < 0 ? argv[++i] : a.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`);
    flags[name] = value;
  }
  if (command.needsPaths && paths.length === 0) throw new UsageError('no files or directories given (use - for standard input)');
  if (paths.filter(p => p === '-').length > 1) throw new UsageError('"-" (standard input) is given more than once');
  const formats = command.formats ?? ['text', 'json'];
  if ('format' in flags && !formats.includes(flags.format)) {
    throw new UsageError(`--format: "${flags.format}" is not a format: expected ${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1]}`);
  }
  return { paths, flags };
}

let range: { min: KubeVersion; max: KubeVersion } | undefined;

/** The Kubernetes releases the shipped API-removal data covers (its first and last removal release). */
export function dataKubeVersionRange(): { min: KubeVersion; max: KubeVersion } {
  if (!range) {
    const versions = ApiRemovals.all().map(r => KubeVersion.parse(r.removedIn)).sort((a, b) => a.compare(b));
    range = { min: versions[0], max: versions[versions.length - 1] };
  }
  return range;
}

/**
 * The version given by `--flag`, or `fallback`; a usage error when it is
 * required and missing or not a version. A version outside the data's range
 * is accepted with a warning on stderr.
 */
export function kubeVersionFlag(io: CliIo, flag: string, value: string | undefined, fallback?: KubeVersion): KubeVersion {
  if (value === undefined) {
    if (fallback) return fallback;
    throw new UsageError(`--${flag} is required, e.g. --${flag} 1.27`);
  }
  let v: KubeVersion;
  try {
    v = KubeVersion.parse(value);
  } catch {
    throw new UsageError(`--${flag}: "${value}" is not a Kubernetes version: expected MAJOR.MINOR or vMAJOR.MINOR.PATCH, e.g. 1.27`);
  }
  const { min, max } = dataKubeVersionRange();
  if (v.isOlderThan(min) || max.isOlderThan(v)) {
    io.stderr(`cdk8s-paas: warning: --${flag} ${value} is outside ${min.minorString} to ${max.minorString}, the releases the API-removal data covers: `
      + `removals ${v.isOlderThan(min) ? `before ${min.minorString}` : `after ${max.minorString}`} are not known and not checked\n`);
  }
  return v;
}

/**
 * Reads every input: files as given, directories searched for *.yaml, *.yml
 * and *.json, and `-` as standard input (reported as `<stdin>`).
 */
export function readInputs(paths: string[], io: CliIo): InputFile[] {
  return paths.flatMap(p => (p === '-' ? [readStdin(io)] : collectFiles([p]).map(readInput)));
}

function readStdin(io: CliIo): InputFile {
  const data = io.readStdin ? io.readStdin() : fs.readFileSync(0);
  // the file reader is the one place that parses YAML the way the CLI does: give it the bytes as a file
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-paas-stdin-'));
  try {
    const file = path.join(dir, 'stdin.yaml');
    fs.writeFileSync(file, data);
    return { ...readInput(file), file: STDIN_NAME };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
