import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { KubeVersion } from '../core/kube-version';
import { PodSecurity } from '../core/pod-security-opt-in';
import { ManifestEntry } from '../validate/manifest-validator';
import { PodSecurityLevel } from '../validate/pod-security';

/**
 * The ApiObjects of an app (or the given objects), as entries for
 * `validateManifests`: their final JSON (escape-hatch patches applied), from
 * `jsonOf` when the synth has rendered them already.
 */
export function manifestEntries(root: IConstruct | ApiObject[], jsonOf: (obj: ApiObject) => any = o => o.toJson()): ManifestEntry[] {
  const objects = Array.isArray(root) ? root : root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  return objects.map(c => {
    const optIn = PodSecurity.levelOf(c);
    return {
      manifest: jsonOf(c),
      ref: c.node.path,
      kubeVersion: KubeVersion.of(c),
      optIn,
      optInReasons: optIn === PodSecurityLevel.RESTRICTED ? undefined : PodSecurity.reasonsOf(c),
    };
  });
}
