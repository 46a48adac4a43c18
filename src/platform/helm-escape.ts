import * as fs from 'fs';
import * as path from 'path';
import { ValidationError } from '../core/errors';

/**
 * What `PaasApp.synth()` writes the manifests for.
 */
export enum OutputFormat {
  /** Plain Kubernetes manifests, applied as they are (`kubectl apply -f`). */
  PLAIN = 'plain',
  /**
   * The `templates/` of a Helm chart (`cdk8s synth --format helm`): every
   * `{{` in a string (Prometheus alert templates such as
   * `{{ $labels.instance }}`) is escaped for Go's text/template, so Helm
   * renders the manifests back exactly as the plain format writes them.
   */
  HELM = 'helm',
}

/** The environment variable that selects the output format (`helm` or `plain`). */
export const OUTPUT_FORMAT_ENV = 'CDK8S_PAAS_OUTPUT';

/**
 * The output format of a synth into `outdir`: the explicit one, else
 * `CDK8S_PAAS_OUTPUT`, else HELM when `outdir` is the `templates` folder of a
 * Helm chart (a `Chart.yaml` beside it: what `cdk8s synth --format helm`
 * scaffolds before it runs the app with `CDK8S_OUTDIR=<chart>/templates`),
 * else PLAIN.
 */
export function outputFormatOf(outdir: string, explicit?: OutputFormat): OutputFormat {
  if (explicit) return explicit;
  const env = process.env[OUTPUT_FORMAT_ENV];
  if (env !== undefined && env !== '') {
    const known = Object.values(OutputFormat) as string[];
    if (!known.includes(env)) {
      const valid = `is not an output format; use one of ${known.map(k => `"${k}"`).join(', ')}, or leave it unset`;
      throw ValidationError.unscoped('environment', OUTPUT_FORMAT_ENV, env, valid);
    }
    return env as OutputFormat;
  }
  const dir = path.resolve(outdir);
  return path.basename(dir) === 'templates' && fs.existsSync(path.join(path.dirname(dir), 'Chart.yaml'))
    ? OutputFormat.HELM : OutputFormat.PLAIN;
}

/** `{{` as a Go template action that prints it: a raw string, which YAML never needs to escape. */
const ESCAPED_OPEN = '{{`{{`}}';

/**
 * Escapes one string for Go's text/template: each `{{` becomes
 * ``{{`{{`}}``, an action that prints `{{`. A `}}` outside an action is plain
 * text to text/template and stays as it is.
 */
export function escapeGoTemplate(s: string): string {
  return s.includes('{{') ? s.split('{{').join(ESCAPED_OPEN) : s;
}

/**
 * A deep copy of a manifest (JSON) with every string, keys included,
 * escaped by `escapeGoTemplate`. Objects without `{{` come back unchanged
 * (the same references).
 */
export function escapeForHelm(value: any): any {
  if (typeof value === 'string') return escapeGoTemplate(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map(v => {
      const e = escapeForHelm(v);
      changed = changed || e !== v;
      return e;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: { [k: string]: any } = {};
    for (const [k, v] of Object.entries(value)) {
      const ek = escapeGoTemplate(k);
      const ev = escapeForHelm(v);
      changed = changed || ek !== k || ev !== v;
      out[ek] = ev;
    }
    return changed ? out : value;
  }
  return value;
}
