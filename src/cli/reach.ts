import * as fs from 'fs';
import { collectFiles, readInput } from './inputs';
import { ReachModel } from '../reach/model';
import { ReachReport } from '../reach/report';

/** Where `reach` writes (the CLI's streams). */
export interface ReachIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const REACH_USAGE = `usage:
  cdk8s-paas reach <files|dirs>... [--format text|json|html] [--output FILE]

reach      the reachability model of the manifests: which workloads, namespaces and
           external networks can open connections to which workloads and egress
           destinations, on which ports, under the Calico and Kubernetes network
           policies among them (evaluated as Calico does). text: a matrix and the
           allowed connections with the policies that allowed them; json: the same as
           data; html: one self-contained page with a diagram (no network access).

exit codes: 0 done, 1 an input is unreadable or not YAML, 2 usage error
`;

/**
 * `cdk8s-paas reach`: returns the exit code.
 *
 * @param args the arguments after `reach`
 * @param io output streams
 */
export function reach(args: string[], io: ReachIo): number {
  const paths: string[] = [];
  let format = 'text';
  let output: string | undefined;
  const usage = (msg: string) => {
    io.stderr(`cdk8s-paas reach: ${msg}\n\n${REACH_USAGE}`);
    return 2;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') {
      io.stdout(REACH_USAGE);
      return 0;
    }
    const m = /^--(format|output)(?:=(.*))?$/.exec(a);
    if (m) {
      const value = m[2] ?? args[++i];
      if (value === undefined || value === '') return usage(`option --${m[1]} needs a value`);
      if (m[1] === 'format') format = value;
      else output = value;
    } else if (a.startsWith('--')) {
      return usage(`unknown option "${a}": expected --format, --output`);
    } else {
      paths.push(a);
    }
  }
  if (!['text', 'json', 'html'].includes(format)) return usage(`--format: "${format}" is not a format: expected text, json or html`);
  if (paths.length === 0) return usage('no files or directories given');
  const inputs = collectFiles(paths).map(readInput);
  const bad = inputs.filter(f => f.error);
  for (const f of bad) io.stderr(`cdk8s-paas reach: ${f.file}: ${f.error}\n`);
  const model = ReachModel.fromManifests(inputs.flatMap(f => f.objects.map(o => o.manifest)));
  const text = format === 'json' ? JSON.stringify(ReachReport.json(model), null, 2) + '\n'
    : format === 'html' ? ReachReport.html(model, `cdk8s-paas reach ${paths.join(' ')}`)
      : ReachReport.text(model);
  if (output) fs.writeFileSync(output, text);
  else io.stdout(text);
  return bad.length > 0 ? 1 : 0;
}
