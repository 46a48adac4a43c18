import { IConstruct } from 'constructs';
import { ContainerDefaults, namespaceUsage, PodFootprint, WorkloadPods, workloadPods } from './budget';
import { fits, quantityValue, showQuantity } from './quantity';
import { TenantLimits } from './tenant';
import { containerDefaults } from './tenant-limits';
import { QUOTA_FIELDS, QuotaField, QuotaValues } from './tenant-quota';
import { Warnings } from '../core/warnings';

// Internal: what the API server's admission (LimitRanger, ResourceQuota) would
// say about a tenant's objects, checked at synth.

/** What the admission check reads of a tenant. */
export interface AdmissionSubject {
  /** The tenant (error paths, warnings). */
  readonly scope: IConstruct;
  /** The LimitRange values. */
  readonly limits: Required<TenantLimits>;
  /** The ResourceQuota values. */
  readonly quota: QuotaValues;
  /** The quota fields already warned about (one surge warning each). */
  readonly surgeWarned: Set<string>;
}

/** Reports an error of one field. */
export type ReportError = (field: string, value: any, reason: string) => void;

/**
 * The LimitRange against itself and the quota: defaultRequest <= default <= max,
 * and a container given the defaults fits the quota on its own.
 */
export function checkLimitRange(t: AdmissionSubject, err: ReportError): void {
  const val = (k: keyof TenantLimits) => quantityValue(t.limits[k])!;

  // LimitRange: defaultRequest <= default <= max
  for (const [res, req, lim, max] of [['cpu', 'defaultCpuRequest', 'defaultCpuLimit', 'maxCpu'], ['memory', 'defaultMemoryRequest', 'defaultMemoryLimit', 'maxMemory']] as Array<[string, keyof TenantLimits, keyof TenantLimits, keyof TenantLimits]>) {
    if (!fits(val(lim), val(max))) err(`limits.${lim}`, t.limits[lim], `is above limits.${max} "${t.limits[max]}": the default ${res} limit must be within the maximum`);
    if (!fits(val(req), val(lim))) err(`limits.${req}`, t.limits[req], `is above limits.${lim} "${t.limits[lim]}": the default ${res} request must not exceed the default limit`);
    // a container given the defaults must fit the quota on its own
    for (const [kind, field] of [['requests', req], ['limits', lim]] as Array<[string, keyof TenantLimits]>) {
      const quota = t.quota[`${kind}.${res}`];
      if (!fits(val(field), quantityValue(quota.value)!)) {
        err(`limits.${field}`, t.limits[field], `is above ${quota.field} "${quota.value}": no pod with a container that sets no ${res} ${kind === 'requests' ? 'request' : 'limit'} would fit the quota; lower the default or raise the quota`);
      }
    }
  }

}

/**
 * The tenant's objects (the manifests of its namespace) against the
 * LimitRange maxima and the quota; warns when a rolling update would stall.
 */
export function checkAdmission(t: AdmissionSubject, objects: any[], err: ReportError): void {
  const val = (k: keyof TenantLimits) => quantityValue(t.limits[k])!;
  const defaults = containerDefaults(t.limits);
  for (const obj of objects) {
    const pods = workloadPods(obj, defaults);
    if (!pods) continue;
    // every container within the LimitRange maxima (admission rejects the pod otherwise)
    for (const c of pods.containers) {
      checkRequestWithinLimit(t, c, pods.ref, err);
      for (const [res, maxField] of [['cpu', 'maxCpu'], ['memory', 'maxMemory']] as Array<[string, keyof TenantLimits]>) {
        const lim = c.limits[res];
        if (lim !== undefined && !fits(lim, val(maxField))) {
          err(`limits.${maxField}`, t.limits[maxField], `is below the ${showQuantity(res, lim)} ${res} limit of container "${c.name}" in ${pods.ref}; the LimitRange would reject its pods: raise the maximum or lower the container's limit`);
        }
      }
    }
    // Pod Security has one owner: the synth's manifest validation checks every pod
    // against its namespace's enforce label, which the tenant's Namespace carries
  }

  // quota: the namespace's usage, with the ConfigMap every namespace gets
  const usage = namespaceUsage(objects, defaults);
  (usage.configmaps = usage.configmaps ?? []).push({ ref: 'ConfigMap/kube-root-ca.crt', amount: 1, detail: '1 (created by Kubernetes)' });
  for (const f of QUOTA_FIELDS) {
    const { field, value } = t.quota[f.resource];
    const hard = quantityValue(value)!;
    const parts = usage[f.resource] ?? [];
    const total = parts.reduce((s, p) => s + p.amount, 0);
    if (!fits(total, hard)) {
      const show = (n: number) => f.quantity ? showQuantity(f.resource, n) : String(n);
      const detail = parts.map(p => `${p.ref}: ${f.quantity ? showDetail(f.resource, p.detail) : p.detail}`).join(', ');
      err(field, value, `is less than the ${show(total)} ${f.resource} of the tenant's objects (${detail}); raise the quota or lower the replicas or requests`);
    } else {
      warnSurge(t, f, value, hard - total, objects, defaults);
    }
  }
}

/** Warns (once per field) when a rolling update's surge pods would not fit the quota: the rollout would stall. */
function warnSurge(t: AdmissionSubject, f: QuotaField, value: string | number, room: number, objects: any[], defaults: ContainerDefaults): void {
  if (t.surgeWarned.has(f.field)) return;
  for (const obj of objects) {
    const pods = workloadPods(obj, defaults);
    const need = pods ? pods.surge * perPod(f.resource, pods.footprint) : 0;
    if (pods && need > 0 && !fits(need, room)) {
      const show = (n: number) => f.quantity ? showQuantity(f.resource, n) : String(n);
      t.surgeWarned.add(f.field);
      Warnings.add(t.scope, `quota.${f.field}: ${JSON.stringify(value)} leaves ${show(room)} ${f.resource} free, less than the ${show(need)} the ${pods.surge} surge pod(s) `
        + `of ${pods.ref} take during a rolling update, which would stall; raise the quota, or let the rollout replace pods in place (maxSurge 0, maxUnavailable 1)`, 'cdk8s-paas:tenant-quota-surge');
      return;
    }
  }
}

/**
 * A container's request must not exceed its limit: its own, else the LimitRange default the
 * LimitRanger would give it (the API server rejects the pod then).
 */
function checkRequestWithinLimit(t: AdmissionSubject, c: WorkloadPods['containers'][number], ref: string, err: ReportError): void {
  for (const [res, defaultField] of [['cpu', 'defaultCpuLimit'], ['memory', 'defaultMemoryLimit']] as Array<[string, keyof TenantLimits]>) {
    const req = c.requests[res];
    const lim = c.limits[res];
    // both from the LimitRange: checked with the LimitRange itself
    if (req === undefined || lim === undefined || fits(req, lim) || c.defaultedRequests.includes(res)) continue;
    const request = `${showQuantity(res, req)} ${res} request of container "${c.name}" in ${ref}`;
    if (c.defaultedLimits.includes(res)) {
      err(`limits.${defaultField}`, t.limits[defaultField], `is below the ${request}, which sets no ${res} limit: the LimitRange would give it `
        + 'this limit and the API server would reject its pods (request above limit); set the container\'s limit or raise the default');
    } else {
      err(`containers.${c.name}.resources.requests.${res}`, showQuantity(res, req), `is above the container's ${res} limit "${showQuantity(res, lim)}" in ${ref}: `
        + 'the API server rejects a request above the limit');
    }
  }
}

/** The per-pod amount of a quota resource. */
function perPod(resource: string, footprint: PodFootprint): number {
  if (resource === 'pods') return 1;
  const [kind, res] = resource.split('.');
  return (kind === 'requests' || kind === 'limits') ? footprint[kind][res] ?? 0 : 0;
}

/** `2 × 0.55` → `2 × 550m` for messages. */
function showDetail(resource: string, detail: string): string {
  const m = /^(\d+) × ([0-9.e+-]+)$/.exec(detail);
  return m ? `${m[1]} × ${showQuantity(resource, Number(m[2]))}` : detail;
}
