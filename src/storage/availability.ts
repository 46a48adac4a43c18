import { PluginAvailability, PluginStatus } from './volume-plugin';
import { KubeVersion } from '../core/kube-version';
import { loadData } from '../validate/data';

/** One row of data/volume-plugins.json, reduced to what decisions need. */
interface PluginRow {
  readonly deprecated?: KubeVersion;
  readonly removed?: KubeVersion;
  /** Version from which operations go to the CSI driver (migration GA). */
  readonly migratedFrom?: KubeVersion;
  readonly csiDriver?: string;
  readonly replacement?: string;
}

let rows: Map<string, PluginRow> | undefined;

function firstVersion(text: unknown): KubeVersion | undefined {
  const m = typeof text === 'string' ? /v?(\d+)\.(\d+)/.exec(text) : null;
  return m ? KubeVersion.parse(`${m[1]}.${m[2]}`) : undefined;
}

function loadRows(): Map<string, PluginRow> {
  if (rows) return rows;
  rows = new Map();
  for (const p of loadData('volume-plugins.json').plugins as any[]) {
    const field = String(p.field).replace('spec.volumes[*].', '');
    const driverText: string | undefined = p.csi_driver ?? undefined;
    const driver = driverText ? /^[a-z0-9.-]+\.[a-z0-9-]+/.exec(driverText)?.[0] : undefined;
    const mig = typeof p.csi_migration === 'object' && p.csi_migration ? p.csi_migration : undefined;
    rows.set(field, {
      deprecated: firstVersion(p.deprecated),
      removed: firstVersion(p.removed),
      migratedFrom: mig ? firstVersion(mig.GA) : undefined,
      csiDriver: driver,
      replacement: driver ? `the CSI driver ${driver}` : driverText,
    });
  }
  return rows;
}

/**
 * Availability of an in-tree plugin (by its Kubernetes volume field) at
 * `version`, from data/volume-plugins.json:
 * - removed without a finished CSI migration: REMOVED (pods fail)
 * - removed or deprecated with CSI migration GA: CSI_MIGRATED (works if the driver is installed)
 * - deprecated: DEPRECATED
 * - otherwise (or not in the table): SUPPORTED
 */
export function inTreeAvailability(field: string, version: KubeVersion): PluginAvailability {
  const row = loadRows().get(field);
  if (!row) return { status: PluginStatus.SUPPORTED };
  const facts = {
    csiDriver: row.csiDriver,
    replacement: row.replacement ?? 'no drop-in replacement: move the data to a supported volume type (nfs, cephfs through ceph-csi, or another CSI driver)',
    deprecatedIn: row.deprecated?.minorString,
    removedIn: row.removed?.minorString,
  };
  const migrated = row.migratedFrom !== undefined && version.isAtLeast(row.migratedFrom);
  if (row.removed && version.isAtLeast(row.removed)) {
    return { ...facts, status: migrated ? PluginStatus.CSI_MIGRATED : PluginStatus.REMOVED };
  }
  if (migrated) return { ...facts, status: PluginStatus.CSI_MIGRATED };
  if (row.deprecated && version.isAtLeast(row.deprecated)) return { ...facts, status: PluginStatus.DEPRECATED };
  return { ...facts, status: PluginStatus.SUPPORTED };
}
