import { Construct, IConstruct } from 'constructs';
import { Tenant } from './tenant';
import { workloadOf, WorkloadRef } from './workload';
import { Warnings } from '../core/warnings';

/**
 * The client workloads of a LegacyService or DataService (internal helper):
 * each is resolved once, and `onAdd` builds its policies.
 */
export class Clients {
  private readonly seen = new Set<string>();

  public constructor(private readonly owner: Construct, private readonly onAdd: (w: WorkloadRef, n: number) => void) {
    const tenant = Tenant.of(owner);
    if (!tenant || !tenant.isolated) {
      Warnings.add(owner, 'is not inside an isolated Tenant: pods that are not its clients keep whatever egress they have, so they can reach it too; create it in a Tenant to let only its clients through', 'cdk8s-paas:clients-not-isolated');
    }
  }

  /** How many clients there are. */
  public get size(): number {
    return this.seen.size;
  }

  /** Add a client (again is a no-op). */
  public add(field: string, client: IConstruct): void {
    const w = workloadOf(this.owner, field, client);
    const key = `${w.namespace}/${w.name}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.onAdd(w, this.seen.size);
  }

  /** Add the clients of a props list. */
  public addAll(field: string, clients: IConstruct[] | undefined): void {
    (clients ?? []).forEach((c, i) => this.add(`${field}[${i}]`, c));
  }
}
