import * as fs from 'fs';
import * as path from 'path';
import { kubeVersionFlag, parseCommandArgs, readInputs } from './args';
import { CliCommand, CliIo, EXIT_INVALID, EXIT_OK, EXIT_USAGE, ParsedArgs, plural, UsageError } from './command';
import { InputFile } from './inputs';
import { reachCommand } from './reach';
import { KubeVersion } from '../core/kube-version';
import { UpgradePlan } from '../platform/upgrade-plan';
import { describeObject, FindingSeverity, POD_SECURITY_ENFORCE_LABEL, formatReports, ManifestEntry, ObjectReport, validateManifests } from '../validate/manifest-validator';
import { PodSecurityLevel } from '../validate/pod-security';
import { hasSchema, shippedSchemaVersions } from '../validate/schema-store';

export type { CliCommand, CliIo } from './command';
export { EXIT_INVALID, EXIT_OK, EXIT_USAGE } from './command';

const PROGRAM = 'cdk8s-paas';

const validateCommand: CliCommand = {
  name: 'validate',
  synopsis: 'validate <files|dirs|->... [--kube-version 1.27] [--pod-security restricted|baseline|privileged] [--format text|json]',
  description: `checks every object of multi-document YAML/JSON files the way the target
cluster would: strict schema of --kube-version (Calico, prometheus-operator CRDs and CRDs
found in the input), APIs removed in --kube-version, and Pod Security.
  --kube-version  the target cluster's version (default 1.27), one of the shipped
                  schemas (1.24 to 1.34); a usage error otherwise
  --pod-security  the level of namespaces without a pod-security.kubernetes.io/enforce
                  label among the inputs (default restricted)
  --format        text (default) or json
Directories are searched for *.yaml, *.yml and *.json; - reads standard input.`,
  flags: ['kube-version', 'pod-security', 'format'],
  needsPaths: true,
  run: (args, io) => validate(args, io),
};

const upgradePlanCommand: CliCommand = {
  name: 'upgrade-plan',
  synopsis: 'upgrade-plan <files|dirs|->... --from 1.25 --to 1.29 [--format text|json]',
  description: `the version-skew steps from --from to --to (one minor at a time, control plane
first, then drain and upgrade nodes) and which input objects break at each.
  --from    the cluster's current version (required)
  --to      the target version (required, not older than --from)
  --format  text (default) or json
Directories are searched for *.yaml, *.yml and *.json; - reads standard input.`,
  flags: ['from', 'to', 'format'],
  needsPaths: true,
  run: (args, io) => upgradePlan(args, io),
};

/** The commands, in the order the help lists them. Add a command here. */
const COMMANDS: CliCommand[] = [validateCommand, upgradePlanCommand, reachCommand];

const EXIT_CODES = 'exit codes: 0 no errors, 1 errors found (or an input is unreadable or not YAML), 2 usage error';

function indent(text: string, by: string): string {
  return text.split('\n').map(l => (l ? by + l : l)).join('\n');
}

function commandNames(): string {
  const names = COMMANDS.map(c => c.name);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function usage(): string {
  return `usage:\n${COMMANDS.map(c => `  ${PROGRAM} ${c.synopsis}`).join('\n')}
  ${PROGRAM} <command> --help
  ${PROGRAM} --version

${COMMANDS.map(c => `${c.name}\n${indent(c.description, '    ')}`).join('\n\n')}

${EXIT_CODES}
`;
}

function commandHelp(c: CliCommand): string {
  return `usage: ${PROGRAM} ${c.synopsis}\n\n${c.description}\n\n${EXIT_CODES}\n`;
}

/** The version of the installed package (its package.json, two levels above src/cli and lib/cli). */
export function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
}

const processIo: CliIo = {
  stdout: s => process.stdout.write(s),
  stderr: s => process.stderr.write(s),
};

/**
 * The \`cdk8s-paas\` command line. Returns the exit code; writes only through \`io\`.
 *
 * @param argv the arguments after the program name, e.g. \`['validate', 'dist/', '--format', 'json']\`
 */
export function main(argv: string[], io: CliIo = processIo): number {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(usage());
    return EXIT_USAGE;
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const help = first === '--help' || first === '-h' || first === 'help';
  const name = help ? rest[0] : first;
  const command = COMMANDS.find(c => c.name === name);
  if (help && (name === undefined || !command)) {
    if (name !== undefined) {
      io.stderr(`${PROGRAM}: unknown command "${name}": expected ${commandNames()}\n\n${usage()}`);
      return EXIT_USAGE;
    }
    io.stdout(usage());
    return EXIT_OK;
  }
  if (!command) {
    io.stderr(`${PROGRAM}: unknown command "${first}": expected ${commandNames()}\n\n${usage()}`);
    return EXIT_USAGE;
  }
  const args = help ? [] : rest;
  if (help || args.slice(0, args.includes('--') ? args.indexOf('--') : undefined).some(a => a === '--help' || a === '-h')) {
    io.stdout(commandHelp(command));
    return EXIT_OK;
  }
  try {
    return command.run(parseCommandArgs(command, args), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${PROGRAM}: ${e.message}\n\n${commandHelp(command)}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

interface FileResult {
  readonly input: InputFile;
  readonly reports: ObjectReport[];
}

function validate(opts: ParsedArgs, io: CliIo): number {
  const kubeVersion = kubeVersionFlag(io, 'kube-version', opts.flags['kube-version'], KubeVersion.DEFAULT);
  if (!hasSchema(kubeVersion)) {
    const shipped = shippedSchemaVersions();
    throw new UsageError(`--kube-version: "${opts.flags['kube-version']}" has no shipped Kubernetes schema to validate against: `
      + `expected ${shipped[0].minorString} to ${shipped[shipped.length - 1].minorString}`);
  }
  const level = opts.flags['pod-security'] ?? PodSecurityLevel.RESTRICTED;
  if (!Object.values<string>(PodSecurityLevel).includes(level)) {
    throw new UsageError(`--pod-security: "${level}" is not a Pod Security level: expected restricted, baseline or privileged`);
  }
  const inputs = readInputs(opts.paths, io);
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

function upgradePlan(opts: ParsedArgs, io: CliIo): number {
  const current = kubeVersionFlag(io, 'from', opts.flags.from);
  const target = kubeVersionFlag(io, 'to', opts.flags.to);
  if (target.isOlderThan(current)) throw new UsageError(`--to: "${target}" is older than --from "${current}": Kubernetes does not support downgrades`);
  const inputs = readInputs(opts.paths, io);
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
