import { IConstruct } from 'constructs';

// How constructs find the tenant they are created in (internal, used by
// TomcatApp for its default namespace). A marker property rather than an
// import of Tenant keeps src/app free of a dependency cycle.

const MARKER = Symbol.for('cdk8s-paas.tenant.namespace');

/** Marks `scope` as a tenant owning `namespace`. */
export function markTenantScope(scope: IConstruct, namespace: string): void {
  (scope as any)[MARKER] = namespace;
}

/** The namespace of the nearest enclosing tenant of `scope` (itself included), if any. */
export function tenantNamespaceOf(scope: IConstruct): string | undefined {
  const scopes = scope.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const ns = (scopes[i] as any)[MARKER];
    if (typeof ns === 'string') return ns;
  }
  return undefined;
}

/** True when `scope` itself is a tenant. */
export function isTenantScope(scope: IConstruct): boolean {
  return typeof (scope as any)[MARKER] === 'string';
}
