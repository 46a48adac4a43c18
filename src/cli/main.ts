import { collectFiles, InputFile, readInput } from './inputs';
import { KubeVersion } from '../platform/kube-version';
import { UpgradePlan } from '../platform/upgrade-plan';
import { describeObject, FindingSeverity, POD_SECURITY_ENFORCE_LABEL, formatReports, ManifestEntry, ObjectReport, validateManifests } from '../validate/manifest-validator';
import { PodSecurityLevel } from '../validate/pod-security';

/** Where the CLI writes (process streams, or buffers in tests). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

const USAGE = `usage:
  cdk8s-paas validate <files|dirs>... [--kube-version 1.27] [--pod-security restricted|baseline|privileged] [--format text|json]
  cdk8s-paas upgrade-plan <files|dirs>... --from 1.25 --to 1.29

validate   checks every object of multi-document YAML/JSON files the way the target
           cluster would: strict schema (Kubernetes 1.27, Calico, prometheus-operator CRDs
           and CRDs found in the input), APIs removed in --kube-version, and Pod Security
           (--pod-security is the level of namespaces without a
           pod-security.kubernetes.io/enforce label among the inputs; default restricted).
           Directories are searched for *.yaml, *.yml and *.json.
upgrade-plan  the version-skew steps from --from to --to and what breaks at each.

exit codes: 0 no errors, 1 errors found (or an input is unreadable or not YAML), 2 usage error
`;

const processIo: CliIo = {
  stdout: s => process.stdout.write(s),
  stderr: s => process.stderr.write(s),
};

class UsageError extends Error {}

interface Options {
  readonly command: string;
  readonly paths: string[];
  readonly flags: { [name: string]: string };
}

const FLAGS: { [command: string]: string[] } = {
  'validate': ['kube-version', 'pod-security', 'format'],
  'upgrade-plan': ['from', 'to', 'format'],
};

function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (!command || !FLAGS[command]) throw new UsageError(command ? `unknown command "${command}": expected validate or upgrade-plan` : 'no command given');
  const paths: string[] = [];
  const flags: { [name: string]: string } = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) {
      paths.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!FLAGS[command].includes(name)) throw new UsageError(`unknown option "--${name}" for ${command}: expected ${FLAGS[command].map(f => `--${f}`).join(', ')}`);
    const value = eq < 0 ? rest[++i] : a.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`);
    flags[name] = value;
  }
  if (paths.length === 0) throw new UsageError('no files or directories given');
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format: "${format}" is not a format: expected text or json`);
  return { command, paths, flags };
}

function version(flag: string, value: string | undefined, fallback?: KubeVersion): KubeVersion {
  if (value === undefined) {
    if (fallback) return fallback;
    throw new UsageError(`--${flag} is required, e.g. --${flag} 1.27`);
  }
  try {
    return KubeVersion.parse(value);
  } catch {
    throw new UsageError(`--${flag}: "${value}" is not a Kubernetes version: expected MAJOR.MINOR or vMAJOR.MINOR.PATCH, e.g. 1.27`);
  }
}

/**
 * The `cdk8s-paas` command line. Returns the exit code; writes only through `io`.
 *
 * @param argv the arguments after the program name, e.g. `['validate', 'dist/', '--format', 'json']`
 */
export function main(argv: string[], io: CliIo = processIo): number {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    (argv.length === 0 ? io.stderr : io.stdout)(USAGE);
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  try {
    const opts = parseArgs(argv);
    return opts.command === 'validate' ? validate(opts, io) : upgradePlan(opts, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk8s-paas: ${e.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

interface FileResult {
  readonly input: InputFile;
  readonly reports: ObjectReport[];
}

function validate(opts: Options, io: CliIo): number {
  const kubeVersion = version('kube-version', opts.flags['kube-version'], KubeVersion.DEFAULT);
  const level = opts.flags['pod-security'] ?? PodSecurityLevel.RESTRICTED;
  if (!Object.values<string>(PodSecurityLevel).includes(level)) {
    throw new UsageError(`--pod-security: "${level}" is not a Pod Security level: expected restricted, baseline or privileged`);
  }
  const inputs = collectFiles(opts.paths).map(readInput);
  // validated together: Namespace labels and CRDs in one file apply to the others
  const entries: ManifestEntry[] = inputs.flatMap(f => f.objects.map(o => ({ manifest: o.manifest, ref: `${f.file}:${o.line}`, kubeVersion })));
  const reports = validateManifests(entries, level as PodSecurityLevel,
    `to allow more, pass --pod-security or give the namespace a Namespace object labelled ${POD_SECURITY_ENFORCE_LABEL}=<level> among the inputs`);
  let next = 0;
  const results: FileResult[] = inputs.map(input => ({ input, reports: reports.slice(next, (next += input.objects.length)) }));
  const count = (r: FileResult, s: FindingSeverity) => r.reports.reduce((n, o) => n + o.findings.filter(f => f.severity === s).length, 0)
    + (s === FindingSeverity.ERROR ? r.input.notObjects.length + (r.input.error ? 1 : 0) : 0);
  const errors = results.reduce((n, r) => n + count(r, FindingSeverity.ERROR), 0);
  const warnings = results.reduce((n, r) => n + count(r, FindingSeverity.WARNING), 0);
  const objects = results.reduce((n, r) => n + r.input.objects.length, 0);

  if (opts.flags.format === 'json') {
    io.stdout(JSON.stringify({
      ok: errors === 0,
      kubeVersion: kubeVersion.minorString,
      podSecurity: level,
      files: results.map(r => ({
        file: r.input.file,
        ok: count(r, FindingSeverity.ERROR) === 0,
        objects: r.input.objects.length,
        errors: count(r, FindingSeverity.ERROR),
        warnings: count(r, FindingSeverity.WARNING),
        ...(r.input.error ? { error: r.input.error } : {}),
        findings: [
          ...r.input.notObjects.map(m => ({ severity: FindingSeverity.ERROR, check: 'input', message: m })),
          ...r.reports.flatMap(o => o.findings.map(f => ({
            object: describeObject(o.manifest),
            location: o.ref,
            severity: f.severity,
            check: f.check,
            rule: f.rule,
            field: f.field,
            message: f.message,
            ...(f.check === 'pod-security' ? { podSecurity: o.podSecurity } : {}),
          }))),
        ],
      })),
      summary: { files: results.length, objects, errors, warnings },
    }, null, 2) + '\n');
  } else {
    const lines: string[] = [];
    for (const r of results) {
      const e = count(r, FindingSeverity.ERROR);
      const w = count(r, FindingSeverity.WARNING);
      if (r.input.error) {
        lines.push(`FAIL  ${r.input.file}: ${r.input.error}`);
        continue;
      }
      const tally = `${plural(r.input.objects.length, 'object')}${e ? `, ${plural(e, 'error')}` : ''}${w ? `, ${plural(w, 'warning')}` : ''}`;
      lines.push(`${e ? 'FAIL' : 'ok  '}  ${r.input.file}: ${tally}`);
      lines.push(...r.input.notObjects.map(m => `  ${r.input.file}: ${m}`));
      for (const s of [FindingSeverity.ERROR, FindingSeverity.WARNING]) {
        lines.push(...formatReports(r.reports, s).map(b => `  ${b}`));
      }
    }
    lines.push(`${plural(results.length, 'file')}, ${plural(objects, 'object')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} `
      + `(Kubernetes ${kubeVersion.minorString}, pod security ${level} unless a namespace label says otherwise)`);
    io.stdout(lines.join('\n') + '\n');
  }
  return errors > 0 ? EXIT_INVALID : EXIT_OK;
}

function upgradePlan(opts: Options, io: CliIo): number {
  const current = version('from', opts.flags.from);
  const target = version('to', opts.flags.to);
  if (target.isOlderThan(current)) throw new UsageError(`--to: "${target}" is older than --from "${current}": Kubernetes does not support downgrades`);
  const inputs = collectFiles(opts.paths).map(readInput);
  const bad = inputs.filter(f => f.error);
  for (const f of bad) io.stderr(`cdk8s-paas: ${f.file}: ${f.error}\n`);
  const plan = UpgradePlan.forManifests(inputs.flatMap(f => f.objects.map(o => o.manifest)), { current, target });
  if (opts.flags.format === 'json') {
    io.stdout(JSON.stringify(plan.toJson(), null, 2) + '\n');
  } else {
    io.stdout(plan.toString() + '\n');
  }
  return bad.length > 0 || !plan.safe ? EXIT_INVALID : EXIT_OK;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
