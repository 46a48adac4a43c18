import { loadData } from './data';
import { KubeVersion } from '../core/kube-version';

/**
 * An apiVersion/kind that a Kubernetes release stopped serving
 * (from the Deprecated API Migration Guide).
 */
export interface ApiRemoval {
  /** The removed apiVersion, e.g. `extensions/v1beta1`. */
  readonly apiVersion: string;
  /** The kind served under it, e.g. `Deployment`. */
  readonly kind: string;
  /** The first release that no longer serves it, e.g. `1.16`. */
  readonly removedIn: string;
  /** What to use instead, e.g. `apps/v1`. */
  readonly replacement: string;
  /**
   * Since when the replacement is served.
   *
   * @default - not recorded
   */
  readonly replacementAvailableSince?: string;
  /** Field changes to make when migrating (empty when there are none). */
  readonly notableChanges: string[];
}

interface Index {
  readonly all: ApiRemoval[];
  readonly byKey: Map<string, ApiRemoval>;
}

let index: Index | undefined;

function load(): Index {
  if (!index) {
    const all: ApiRemoval[] = loadData('api-removals.json').removals.map((r: any) => ({
      apiVersion: r.apiVersion,
      kind: r.kind,
      removedIn: String(r.removed_in).replace(/^v/, ''),
      replacement: r.replacement,
      replacementAvailableSince: r.replacement_available_since ? String(r.replacement_available_since).replace(/^v/, '').replace(/ \/ v/g, ' / ') : undefined,
      notableChanges: (r.notable_changes ?? []).filter((c: string) => c !== 'No notable changes'),
    }));
    index = { all, byKey: new Map(all.map(r => [`${r.apiVersion}/${r.kind}`, r])) };
  }
  return index;
}

/**
 * Look-ups in the table of removed Kubernetes APIs (v1.16 to v1.32), loaded
 * once per process.
 */
export class ApiRemovals {
  /**
   * The removal of `apiVersion`/`kind`, whatever the version, or undefined
   * when the guide lists none.
   *
   * @param apiVersion e.g. `policy/v1beta1`
   * @param kind e.g. `PodDisruptionBudget`
   */
  public static find(apiVersion: string, kind: string): ApiRemoval | undefined {
    return load().byKey.get(`${apiVersion}/${kind}`);
  }

  /**
   * The removal in force on a cluster of version `version`: defined when the
   * apiVersion/kind is no longer served there.
   *
   * @param apiVersion e.g. `policy/v1beta1`
   * @param kind e.g. `PodDisruptionBudget`
   * @param version the cluster's version
   */
  public static removedIn(apiVersion: string, kind: string, version: KubeVersion): ApiRemoval | undefined {
    const r = ApiRemovals.find(apiVersion, kind);
    return r && version.isAtLeast(KubeVersion.parse(r.removedIn)) ? r : undefined;
  }

  /**
   * Every removal that takes effect when a cluster goes from `from` to `to`
   * (removed after `from`, at or before `to`), oldest first.
   *
   * @param from the current version
   * @param to the target version
   */
  public static between(from: KubeVersion, to: KubeVersion): ApiRemoval[] {
    return load().all
      .filter(r => { const v = KubeVersion.parse(r.removedIn); return from.isOlderThan(v) && to.isAtLeast(v); })
      .sort((a, b) => KubeVersion.parse(a.removedIn).compare(KubeVersion.parse(b.removedIn)));
  }

  /** Every removal the table lists. */
  public static all(): ApiRemoval[] {
    return [...load().all];
  }

  private constructor() {}
}
