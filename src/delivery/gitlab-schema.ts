import Ajv, { ValidateFunction } from 'ajv';
import { loadData } from '../validate/data';

// Internal: GitLab's CI configuration schema (data/gitlab-ci-schema.json),
// compiled once per process.

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('regex', (s: string) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    });
    ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(s));
    ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    compiled = ajv.compile(loadData('gitlab-ci-schema.json'));
  }
  return compiled;
}

/** The schema violations of a `.gitlab-ci.yml` document (empty when valid). */
export function gitlabCiSchemaErrors(doc: any): string[] {
  const validate = validator();
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(e => `${e.instancePath || '/'}: ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}
