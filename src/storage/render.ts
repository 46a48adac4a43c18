import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { jsonEqual, toL1Struct, UnknownFieldError } from './l1';
import { ValidationError } from '../core/errors';
import { dnsLabelFromId } from '../core/names';
import { checkDnsLabel } from '../validate/rules';

/**
 * Internal: converts Kubernetes JSON of definition `def` to its L1 struct form
 * and proves, through the L1 mapper `toJson`, that every field survives; a
 * field Kubernetes 1.27 does not know (a typo in a custom plugin) is a
 * ValidationError naming it rather than a silently missing line in the YAML.
 */
export function toCheckedL1(scope: IConstruct, field: string, json: { [key: string]: any }, def: string,
  toJson: (struct: any) => any): any {
  let struct: any;
  try {
    struct = toL1Struct(json, def);
  } catch (e) {
    if (e instanceof UnknownFieldError) {
      throw ValidationError.of(scope, `${field}${e.pointer.replace(/\//g, '.')}`, json, `has a field that is not in the Kubernetes 1.27 ${def.split('.').pop()} schema: ${e.message}`);
    }
    throw e;
  }
  const back = toJson(struct);
  if (!jsonEqual(back, json)) {
    throw ValidationError.of(scope, field, json, `does not survive the cdk8s L1 mapper (it renders as ${JSON.stringify(back)}); use the Kubernetes field names and types`);
  }
  return struct;
}

/** A cdk8s-plus `Volume` carrying any Kubernetes volume source (its constructor is private; the config is an L1 `Volume`). */
export function pluginVolume(scope: IConstruct, id: string, name: string, volumeJson: { [key: string]: any }, field: string): kplus.Volume {
  const struct = toCheckedL1(scope, field, { name, ...volumeJson }, 'io.k8s.api.core.v1.Volume', s => kplus.k8s.toJson_Volume(s));
  const { name: _n, ...config } = struct;
  const VolumeCtor = kplus.Volume as unknown as new (s: IConstruct, i: string, n: string, c: any) => kplus.Volume;
  return new VolumeCtor(scope, id, name, config);
}

/** A DNS label from the construct id (used for volume and object names). */
export function defaultVolumeName(scope: IConstruct): string {
  const id = dnsLabelFromId(scope.node.id, 63);
  return checkDnsLabel(scope, 'name (derived from the construct id; set `name`)', id);
}
