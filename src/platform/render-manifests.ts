import { Yaml } from 'cdk8s';

/**
 * The YAML text of one output file: the documents separated by `---`, as
 * cdk8s's `Yaml.stringify` writes them (internal). Every file the synth
 * pipeline writes goes through this one function.
 */
export function renderManifests(docs: any[]): string {
  return Yaml.stringify(...docs);
}
