import * as fs from 'fs';
import { readInputs } from './args';
import { CliCommand, CliIo, EXIT_INVALID, EXIT_OK, ParsedArgs } from './command';
import { ReachModel } from '../reach/model';
import { ReachReport } from '../reach/report';

/** `cdk8s-paas reach`: the reachability model of manifests, as a text matrix, JSON or an HTML diagram. */
export const reachCommand: CliCommand = {
  name: 'reach',
  synopsis: 'reach <files|dirs|->... [--format text|json|html] [--output FILE]',
  description: `the reachability model of the manifests: which workloads, namespaces and
external networks can open connections to which workloads and egress
destinations, on which ports, under the Calico and Kubernetes network
policies among them (evaluated as Calico does).
  --format  text (default): a matrix and the allowed connections with the
            policies that allowed them; json: the same as data; html: one
            self-contained page with a diagram (no network access)
  --output  write to FILE instead of standard output
Directories are searched for *.yaml, *.yml and *.json; - reads standard input.`,
  flags: ['format', 'output'],
  formats: ['text', 'json', 'html'],
  needsPaths: true,
  run: (args, io) => reach(args, io),
};

function reach(args: ParsedArgs, io: CliIo): number {
  const format = args.flags.format ?? 'text';
  const inputs = readInputs(args.paths, io);
  const bad = inputs.filter(f => f.error);
  for (const f of bad) io.stderr(`cdk8s-paas reach: ${f.file}: ${f.error}\n`);
  const model = ReachModel.fromManifests(inputs.flatMap(f => f.objects.map(o => o.manifest)));
  const text = format === 'json' ? JSON.stringify(ReachReport.json(model), null, 2) + '\n'
    : format === 'html' ? ReachReport.html(model, `cdk8s-paas reach ${args.paths.join(' ')}`)
      : ReachReport.text(model);
  if (args.flags.output) fs.writeFileSync(args.flags.output, text);
  else io.stdout(text);
  return bad.length > 0 ? EXIT_INVALID : EXIT_OK;
}
