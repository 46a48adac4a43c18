import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationError } from '../core/errors';

/**
 * The RoleBinding of a tenant's `groups` to the built-in ClusterRole
 * `clusterRole` (`admin`, `edit`, `view`), or undefined without groups.
 */
export function bindGroups(tenant: Construct, namespace: string, id: string, field: string, clusterRole: string,
  groups?: string[]): kplus.k8s.KubeRoleBinding | undefined {
  if (!groups || groups.length === 0) return undefined;
  groups.forEach((g, i) => {
    if (typeof g !== 'string' || !g.trim() || /[\s]/.test(g)) {
      throw ValidationError.of(tenant, `${field}[${i}]`, g, 'is not a group name: a non-empty string without whitespace, as the authenticator reports it (e.g. "team-a-developers")');
    }
  });
  return new kplus.k8s.KubeRoleBinding(tenant, `${id}-binding`, {
    metadata: { name: `tenant-${id}`, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
    subjects: groups.map(name => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
  });
}
