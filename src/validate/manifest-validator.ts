import { ApiRemovals } from './api-removals';
import { checkPodSecurity, PodSecurityLevel } from './pod-security';
import { DetailedSchemaFinding, SchemaOverlay, SchemaValidator } from './schema';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';

/** Label a Namespace carries to set the Pod Security level the cluster enforces in it. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

const LEVEL_ORDER = [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED];

/** How bad a finding is. */
export enum FindingSeverity {
  /** The cluster would reject the object (or it would not work): synth fails. */
  ERROR = 'error',
  /** Works on the target version but needs attention (e.g. an API removed in a later release). */
  WARNING = 'warning',
}

/** Which check produced a finding. */
export enum ManifestCheck {
  /** Strict schema: the target version's Kubernetes definitions and the shipped CRD schemas. */
  SCHEMA = 'schema',
  /** An apiVersion/kind the target Kubernetes version no longer serves. */
  REMOVED_API = 'removed-api',
  /** An apiVersion/kind a later Kubernetes version removes. */
  DEPRECATED_API = 'deprecated-api',
  /** A Pod Security Standard check of the level in force for the object's namespace. */
  POD_SECURITY = 'pod-security',
}

/** One problem found in one manifest. */
export interface ManifestFinding {
  /** Error or warning. */
  readonly severity: FindingSeverity;
  /** The check that found it. */
  readonly check: ManifestCheck;
  /** The precise rule, e.g. `unknown-field`, `type`, `privileged`, `restrictedVolumes`. */
  readonly rule: string;
  /** The field, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  readonly field: string;
  /** `<field>: <value> <what is wrong and what is valid>`; prefix it with the object reference. */
  readonly message: string;
}

/** Options for validating one object. */
export interface ObjectValidationOptions {
  /**
   * The Kubernetes version of the target cluster.
   *
   * @default KubeVersion.DEFAULT
   */
  readonly kubeVersion?: KubeVersion;
  /**
   * The Pod Security level the object's pods must meet.
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
}

/** One object to validate, with what decides the rules it is held to (internal). */
export interface ManifestEntry {
  /** The manifest (final JSON). */
  readonly manifest: any;
  /** How to name it in messages: a construct path, or `file#n Kind ns/name`. */
  readonly ref: string;
  /** The target version for this object. */
  readonly kubeVersion: KubeVersion;
  /** The level a construct opted in to (PodSecurity.levelOf), if any. */
  readonly optIn?: PodSecurityLevel;
  /** Why it opted in. */
  readonly optInReasons?: string[];
}

/** The findings of one object (internal). */
export interface ObjectReport {
  readonly ref: string;
  readonly manifest: any;
  readonly podSecurity: PodSecurityLevel;
  readonly podSecuritySource: string;
  readonly findings: ManifestFinding[];
}

/**
 * Validates Kubernetes manifests the way the target cluster would: strict
 * schema (unknown fields, wrong types, missing required fields; the target
 * version's own Kubernetes definitions, 1.24 to 1.34, and the Calico,
 * prometheus-operator and kops CRDs), APIs removed
 * in the target version (naming the replacement), and the Pod Security level
 * in force for the object's namespace.
 *
 * Schemas are compiled once per process. `PaasApp` runs it on every object at
 * synth; the `cdk8s-paas validate` CLI runs it on YAML files.
 */
export class ManifestValidator {
  /**
   * Validate one object.
   *
   * @param manifest a Kubernetes object (parsed JSON/YAML)
   * @param options target version and Pod Security level
   */
  public static validateObject(manifest: any, options: ObjectValidationOptions = {}): ManifestFinding[] {
    options = options ?? {};
    return validateObjectWith(SchemaValidator.forVersion(options.kubeVersion ?? KubeVersion.DEFAULT), manifest, options);
  }

  /**
   * The Pod Security level each Namespace among `manifests` enforces (its
   * `pod-security.kubernetes.io/enforce` label), by namespace name.
   *
   * @param manifests Kubernetes objects
   */
  public static namespaceLevels(manifests: any[]): { [namespace: string]: PodSecurityLevel } {
    if (!Array.isArray(manifests)) {
      throw ValidationError.unscoped('ManifestValidator.namespaceLevels', 'manifests', manifests, 'must be an array of Kubernetes objects');
    }
    const out: { [namespace: string]: PodSecurityLevel } = {};
    for (const m of manifests) {
      const label = m?.metadata?.labels?.[POD_SECURITY_ENFORCE_LABEL];
      const isNamespace = m?.apiVersion === 'v1' && m?.kind === 'Namespace' && typeof m.metadata?.name === 'string';
      if (isNamespace && LEVEL_ORDER.includes(label)) {
        out[m.metadata.name] = label;
      }
    }
    return out;
  }

  private constructor() {}
}

/** `ManifestValidator.validateObject` against the given schemas (the shared ones of the target version, or an app's overlay of them). */
function validateObjectWith(schemas: SchemaValidator | SchemaOverlay, manifest: any, options: ObjectValidationOptions): ManifestFinding[] {
  const out: ManifestFinding[] = [];
  const version = options.kubeVersion ?? KubeVersion.DEFAULT;
  const apiVersion = manifest?.apiVersion;
  const kind = manifest?.kind;
  const removal = typeof apiVersion === 'string' && typeof kind === 'string' ? ApiRemovals.find(apiVersion, kind) : undefined;
  let removed = false;
  if (removal) {
    removed = version.isAtLeast(KubeVersion.parse(removal.removedIn));
    const since = removal.replacementAvailableSince ? ` (served since ${removal.replacementAvailableSince})` : '';
    const changes = removal.notableChanges.length > 0 ? `; note: ${removal.notableChanges.join('; ')}` : '';
    out.push({
      severity: removed ? FindingSeverity.ERROR : FindingSeverity.WARNING,
      check: removed ? ManifestCheck.REMOVED_API : ManifestCheck.DEPRECATED_API,
      rule: `${apiVersion}/${kind}`,
      field: 'apiVersion',
      message: removed
        ? `apiVersion: "${apiVersion}" is not served for kind ${kind} on Kubernetes ${version.minorString}: removed in ${removal.removedIn}; use ${removal.replacement}${since}${changes}`
        : `apiVersion: "${apiVersion}" is removed for kind ${kind} in Kubernetes ${removal.removedIn} (the target ${version.minorString} still serves it); migrate to ${removal.replacement}${since}${changes}`,
    });
  }
  for (const f of schemas.validateDetailed(manifest)) {
    // a removed API is not in the target's schema: the removal says more than "unknown kind"
    if (f.keyword === 'unknown-kind' && removal) continue;
    out.push({
      severity: FindingSeverity.ERROR,
      check: ManifestCheck.SCHEMA,
      rule: f.keyword,
      field: fieldOf(f),
      message: schemaMessage(manifest, f, version),
    });
  }
  // not an object at all: the schema finding says so, there are no pods to check
  if (manifest === null || typeof manifest !== 'object') return out;
  const level = options.podSecurity ?? PodSecurityLevel.RESTRICTED;
  for (const f of checkPodSecurity(manifest, level)) {
    out.push({
      severity: FindingSeverity.ERROR,
      check: ManifestCheck.POD_SECURITY,
      rule: f.check,
      field: f.field,
      message: `${f.field}: ${show(valueAt(manifest, f.field))} ${f.message} (pod security "${level}", check ${f.check})`,
    });
  }
  return out;
}

/**
 * Validates a set of objects together: CustomResourceDefinitions among them
 * are registered first, and each pod's level comes from its namespace's
 * enforce label when the set declares that Namespace with one, otherwise
 * from the construct opt-in (PodSecurity.allow) or the default level.
 */
export function validateManifests(entries: ManifestEntry[], defaultLevel: PodSecurityLevel = PodSecurityLevel.RESTRICTED,
  howToRelax = `a construct that needs more opts in with PodSecurity.allow, or the app labels its Namespace ${POD_SECURITY_ENFORCE_LABEL}`): ObjectReport[] {
  const manifests = entries.map(e => e.manifest);
  // the set's own CRDs are seen by this set alone: one overlay of each target version's shared schemas
  const overlays = new Map<string, SchemaOverlay>();
  for (const e of entries) {
    if (!overlays.has(e.kubeVersion.minorString)) overlays.set(e.kubeVersion.minorString, SchemaValidator.forVersion(e.kubeVersion).overlay());
  }
  for (const m of manifests) {
    if (m?.apiVersion === 'apiextensions.k8s.io/v1' && m?.kind === 'CustomResourceDefinition' && m.spec?.group && m.spec?.names?.kind) {
      for (const o of overlays.values()) o.addCustomResourceDefinition(m);
    }
  }
  const nsLevels = ManifestValidator.namespaceLevels(manifests);
  return entries.map(e => {
    const ns = e.manifest?.metadata?.namespace ?? 'default';
    const labelled = nsLevels[ns];
    let level: PodSecurityLevel;
    let source: string;
    const optIn = e.optIn && LEVEL_ORDER.indexOf(e.optIn) > LEVEL_ORDER.indexOf(defaultLevel) ? e.optIn : undefined;
    const why = e.optInReasons?.length ? ` (${e.optInReasons.join('; ')})` : '';
    if (labelled) {
      level = labelled;
      source = `namespace "${ns}" is labelled ${POD_SECURITY_ENFORCE_LABEL}=${labelled}`;
      if (optIn && LEVEL_ORDER.indexOf(optIn) > LEVEL_ORDER.indexOf(labelled)) {
        source += `, stricter than the "${optIn}" its construct opted in to${why}: the cluster enforces the namespace label, so relabel the namespace or move the workload`;
      }
    } else if (optIn) {
      level = optIn;
      source = `opted in with PodSecurity.allow${why}`;
    } else {
      level = defaultLevel;
      source = `the default for namespace "${ns}"; ${howToRelax}`;
    }
    const findings = validateObjectWith(overlays.get(e.kubeVersion.minorString)!, e.manifest, { kubeVersion: e.kubeVersion, podSecurity: level });
    return { ref: e.ref, manifest: e.manifest, podSecurity: level, podSecuritySource: source, findings };
  });
}

/** `Kind namespace/name` of a manifest. */
export function describeObject(m: any): string {
  const name = m?.metadata?.name ?? '(unnamed)';
  return `${m?.kind ?? '(no kind)'} ${m?.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${name}`;
}

/**
 * The findings of the given severity, grouped by object: one block per object
 * with a heading and one `<ref>: <field>: <value> <reason>` line per finding.
 */
export function formatReports(reports: ObjectReport[], severity: FindingSeverity): string[] {
  const blocks: string[] = [];
  for (const r of reports) {
    const fs = r.findings.filter(f => f.severity === severity);
    if (fs.length === 0) continue;
    const pss = fs.some(f => f.check === ManifestCheck.POD_SECURITY) ? `; pod security "${r.podSecurity}": ${r.podSecuritySource}` : '';
    const head = `${describeObject(r.manifest)} (${r.ref}): ${fs.length} ${severity}${fs.length > 1 ? 's' : ''}${pss}`;
    blocks.push([head, ...fs.map(f => `    ${r.ref}: ${f.message}`)].join('\n'));
  }
  return blocks;
}

/** `/spec/containers/0/name` → `spec.containers[0].name`. */
export function pointerToField(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `['${seg}']`;
  }
  return out;
}

function fieldOf(f: DetailedSchemaFinding): string {
  if (f.keyword === 'required') return pointerToField(`${f.pointer}/${f.value}`);
  if (f.keyword === 'unknown-kind' || f.keyword === 'not-an-object') return 'apiVersion';
  return pointerToField(f.pointer) || '(object)';
}

/** The fields of a Secret whose values are not secret, and may be shown in a message. */
const SECRET_PUBLIC_FIELD = /^(?:(?:apiVersion|kind|type|immutable)$|metadata\.(?:name|namespace|generateName|labels)(?:$|[.[]))/;

function schemaMessage(m: any, f: DetailedSchemaFinding, version: KubeVersion): string {
  const field = fieldOf(f);
  // the default target's messages stay as they were; another target's name their version
  const schemaName = `${m?.apiVersion} ${m?.kind}${version.compare(KubeVersion.DEFAULT) === 0 ? '' : ` (Kubernetes ${version.minorString})`}`;
  // a Secret's values never reach a message, whatever the field (a misspelt
  // `stringdata:`, a wrongly typed value): only its structural fields are shown
  const secretValue = m?.kind === 'Secret' && !SECRET_PUBLIC_FIELD.test(field);
  const shown = (v: any): string => secretValue ? '(secret value hidden)' : showValue(v);
  switch (f.keyword) {
    case 'unknown-field': {
      const name = f.pointer.split('/').pop()!.replace(/~1/g, '/').replace(/~0/g, '~');
      return `${field}: ${shown(f.value)} is set on unknown field "${name}", which the ${schemaName} schema does not define${f.suggestion ? ` (did you mean "${f.suggestion}")` : ''}`;
    }
    case 'type':
      return `${field}: ${shown(f.value)} has the wrong type: ${f.message}`;
    case 'required':
      return `${field}: (missing) is required by the ${schemaName} schema`;
    case 'enum':
      return `${field}: ${shown(f.value)} ${f.message.replace(/^must be one of \[(.*)\]$/, (_x, list: string) => `must be one of ${list.replace(/,/g, ', ')}`)}`;
    case 'unknown-kind':
      return `apiVersion: "${m.apiVersion}" with kind "${m.kind}" is not a known API: ${f.message.replace(/^[^:]*: /, '')}`;
    case 'not-an-object':
      return `apiVersion: ${shown(m?.apiVersion)} ${f.message}`;
    default:
      return `${field}: ${shown(f.value)} ${f.message}`;
  }
}

/** The value at a dotted field path (`a.b[0]['c.d']`), or undefined. */
export function valueAt(obj: any, field: string): any {
  let cur = obj;
  const re = /([^.[\]']+)|\[(\d+)\]|\['([^']*)'\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(field)) !== null) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[m[1] ?? m[2] ?? m[3]];
  }
  return cur;
}

/** A value as shown in a message: strings quoted, objects as short JSON, `(unset)` when absent. */
export function show(value: any): string {
  return showValue(value);
}

function showValue(value: any): string {
  if (value === undefined) return '(unset)';
  const s = JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
