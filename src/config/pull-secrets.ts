import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { stateOf } from './pod-state';

/**
 * Adds a pull secret to the pod's `imagePullSecrets`. cdk8s-plus-27 takes one
 * (`dockerRegistryAuth`); the list is written with one JSON patch that also
 * keeps that one.
 */
export function addPullSecret(pod: kplus.AbstractPod, name: string): void {
  const s = stateOf(pod);
  if (!s.pullSecrets) {
    s.pullSecrets = pod.dockerRegistryAuth ? [{ name: pod.dockerRegistryAuth.name }] : [];
    const obj = ApiObject.of(pod);
    const spec = obj.kind === 'Pod' ? '/spec' : obj.kind === 'CronJob' ? '/spec/jobTemplate/spec/template/spec' : '/spec/template/spec';
    // patches are applied after resolution, with the array as it is at synth time
    obj.addJsonPatch(JsonPatch.add(`${spec}/imagePullSecrets`, s.pullSecrets));
  }
  if (!s.pullSecrets.some(p => p.name === name)) s.pullSecrets.push({ name });
}

