import { IConstruct } from 'constructs';

// How constructs find the tenant they are created in (internal, used by
// TomcatApp for its default namespace). A marker property rather than an
// import of Tenant keeps src/app free of a dependency cycle.

const MARKER = Symbol.for('cdk8s-paas.tenant.namespace');

/** Marks `scope` as a tenant owning `namespace`. */
export function markTenantScope(scope: IConstruct, namespace: string): void {
  (scope as any)[MARKER] = namespace;
}

/**
 * The nearest enclosing tenant of `scope` (itself included), if any: the one
 * tenant lookup (`Tenant.of`, the default namespaces and the namespace index
 * all use it). A marker, unlike `instanceof`, also finds a tenant created by
 * another loaded copy of the library.
 */
export function tenantScopeOf(scope: IConstruct): IConstruct | undefined {
  const scopes = scope.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (isTenantScope(scopes[i])) return scopes[i];
  }
  return undefined;
}

/** The namespace of the nearest enclosing tenant of `scope` (itself included), if any. */
export function tenantNamespaceOf(scope: IConstruct): string | undefined {
  const tenant = tenantScopeOf(scope);
  return tenant === undefined ? undefined : (tenant as any)[MARKER];
}

/** True when `scope` itself is a tenant. */
export function isTenantScope(scope: IConstruct): boolean {
  return typeof (scope as any)[MARKER] === 'string';
}

const FOREIGN = Symbol.for('cdk8s-paas.tenant.foreign-namespace');

/**
 * Marks `scope` as placing its objects in another namespace on purpose (the
 * egress policy of a client in another tenant): the tenant's namespace is not
 * applied to them.
 */
export function allowForeignNamespace(scope: IConstruct): void {
  (scope as any)[FOREIGN] = true;
}

/** True when `scope` or one of its ancestors places its objects in another namespace on purpose. */
export function isForeignNamespaceAllowed(scope: IConstruct): boolean {
  return scope.node.scopes.some(s => (s as any)[FOREIGN] === true);
}
