import { IConstruct } from 'constructs';
import { ValidationError } from './errors';

/** Context key under which an App or Chart records its target Kubernetes version. */
export const KUBE_VERSION_CONTEXT = 'cdk8s-paas:kubeVersion';

/**
 * A Kubernetes version (`1.27`, `v1.27.3`): the target cluster of an App or Chart.
 *
 * Every construct that depends on the cluster version (volume plugins, API
 * removals, upgrade planning) reads it with `KubeVersion.of(scope)`.
 */
export class KubeVersion {
  /** Kubernetes 1.24. */
  public static readonly V1_24 = KubeVersion.parse('1.24');
  /** Kubernetes 1.25. */
  public static readonly V1_25 = KubeVersion.parse('1.25');
  /** Kubernetes 1.26. */
  public static readonly V1_26 = KubeVersion.parse('1.26');
  /** Kubernetes 1.27: the library's default target. */
  public static readonly V1_27 = KubeVersion.parse('1.27');
  /** Kubernetes 1.28. */
  public static readonly V1_28 = KubeVersion.parse('1.28');
  /** Kubernetes 1.29. */
  public static readonly V1_29 = KubeVersion.parse('1.29');
  /** Kubernetes 1.30. */
  public static readonly V1_30 = KubeVersion.parse('1.30');
  /** Kubernetes 1.31. */
  public static readonly V1_31 = KubeVersion.parse('1.31');
  /** Kubernetes 1.32. */
  public static readonly V1_32 = KubeVersion.parse('1.32');
  /** Kubernetes 1.33. */
  public static readonly V1_33 = KubeVersion.parse('1.33');
  /** Kubernetes 1.34. */
  public static readonly V1_34 = KubeVersion.parse('1.34');

  /** The default target version when an App or Chart sets none. */
  public static readonly DEFAULT = KubeVersion.V1_27;

  /**
   * Parse `1.27`, `v1.27` or `v1.27.3`.
   *
   * @throws ValidationError for anything else
   */
  public static parse(version: string): KubeVersion {
    const m = typeof version === 'string' ? /^v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,4}))?$/.exec(version.trim()) : null;
    if (!m) {
      throw new ValidationError(ValidationError.format('kubeVersion', 'kubeVersion', version,
        'is not a Kubernetes version: expected MAJOR.MINOR or vMAJOR.MINOR.PATCH, e.g. "1.27" or "v1.27.3"'), '', 'kubeVersion');
    }
    return new KubeVersion(Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3]));
  }

  /**
   * The target version in force for a construct: the nearest App or Chart that
   * set one (context key `cdk8s-paas:kubeVersion`), else `KubeVersion.DEFAULT`.
   */
  public static of(scope: IConstruct): KubeVersion {
    const ctx = scope.node.tryGetContext(KUBE_VERSION_CONTEXT);
    if (ctx === undefined) {
      return KubeVersion.DEFAULT;
    }
    return ctx instanceof KubeVersion ? ctx : KubeVersion.parse(String(ctx));
  }

  /** Major version, e.g. 1. */
  public readonly major: number;
  /** Minor version, e.g. 27. */
  public readonly minor: number;
  /** Patch version, when given. */
  public readonly patch?: number;

  private constructor(major: number, minor: number, patch?: number) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
  }

  /** Negative, zero or positive as this is older than, equal to or newer than `other` (patch ignored when either lacks it). */
  public compare(other: KubeVersion): number {
    if (this.major !== other.major) return this.major - other.major;
    if (this.minor !== other.minor) return this.minor - other.minor;
    if (this.patch === undefined || other.patch === undefined) return 0;
    return this.patch - other.patch;
  }

  /** True when this version is `other` or newer (by major.minor). */
  public isAtLeast(other: KubeVersion): boolean {
    return this.compare(KubeVersion.parse(`${other.major}.${other.minor}`)) >= 0;
  }

  /** True when this version is older than `other` (by major.minor). */
  public isOlderThan(other: KubeVersion): boolean {
    return !this.isAtLeast(other);
  }

  /** The next minor version (`1.27` → `1.28`). */
  public nextMinor(): KubeVersion {
    return new KubeVersion(this.major, this.minor + 1);
  }

  /** `MAJOR.MINOR` (the form used in reference tables). */
  public get minorString(): string {
    return `${this.major}.${this.minor}`;
  }

  /** `MAJOR.MINOR[.PATCH]`. */
  public toString(): string {
    return this.patch === undefined ? this.minorString : `${this.minorString}.${this.patch}`;
  }
}
