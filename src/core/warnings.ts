import { IConstruct } from 'constructs';

const WARNING_METADATA = 'cdk8s-paas:warning';
const ACK_METADATA = 'cdk8s-paas:acknowledge-warning';
/** Marks an app whose synth prints the warnings itself (PaasApp), so `Warnings.add` does not hook a validation. */
const PIPELINE_ROOT = Symbol.for('cdk8s-paas.synth-pipeline-root');

/** The id of warnings recorded without one. */
export const UNSPECIFIED_WARNING_ID = 'cdk8s-paas:warning';

/** One recorded warning (internal). */
export interface WarningRecord {
  /** The construct it is about. */
  readonly scope: IConstruct;
  /** Its id, e.g. `cdk8s-paas:tomcat-end-of-life`. */
  readonly id: string;
  /** `<construct path>: <message>`. */
  readonly text: string;
}

/** Marks `root` as an app whose synth pipeline prints and checks warnings (internal). */
export function markPipelineRoot(root: IConstruct): void {
  Object.defineProperty(root, PIPELINE_ROOT, { value: true });
}

/**
 * Synth-time warnings (end-of-life runtimes, deprecated plugins, plaintext
 * secrets). Each has an id. A warning never stops synthesis unless the app is
 * strict (`PaasApp` prop `strict`, or `CDK8S_PAAS_STRICT=1`); `PaasApp.synth()`
 * prints each one once to stderr, after every construct validation ran, unless
 * it is acknowledged with `Warnings.acknowledge(scope, id)`.
 */
export class Warnings {
  /**
   * Record a warning on a construct.
   *
   * @param scope the construct the warning is about (its path is prefixed)
   * @param message lower-case, no trailing period
   * @param id what `acknowledge` names it by, e.g. `cdk8s-paas:tomcat-end-of-life`
   *
   * @default id UNSPECIFIED_WARNING_ID (`cdk8s-paas:warning`)
   */
  public static add(scope: IConstruct, message: string, id: string = UNSPECIFIED_WARNING_ID): void {
    const text = `${scope.node.path}: ${message}`;
    scope.node.addMetadata(WARNING_METADATA, { id, text });
    if ((scope.node.root as any)[PIPELINE_ROOT]) return;
    // a plain cdk8s App: print when it validates (constructs >= 10.8 skip a
    // validation added while validations run; PaasApp does not depend on it)
    let printed = false;
    scope.node.addValidation({
      validate: () => {
        if (!printed && !warningsQuiet() && !Warnings.isAcknowledged(scope, id)) {
          process.stderr.write(formatWarning({ scope, id, text }));
        }
        printed = true;
        return [];
      },
    });
  }

  /**
   * @internal A warning decided when the app validates (when the whole tree is
   * known): `produce` returns the message, or undefined for none. Recorded
   * from a construct validation, which `PaasApp.synth()` runs before it
   * collects the warnings.
   */
  public static _addWhen(scope: IConstruct, produce: () => string | undefined, id: string = UNSPECIFIED_WARNING_ID): void {
    let decided = false;
    scope.node.addValidation({
      validate: () => {
        if (decided) return [];
        decided = true;
        const message = produce();
        if (message !== undefined) Warnings.add(scope, message, id);
        return [];
      },
    });
  }

  /**
   * Acknowledge the warnings with `id` on `scope` and all its descendants: they
   * are no longer printed, and strict mode does not fail on them (as aws-cdk's
   * `Annotations.acknowledgeWarning`).
   *
   * @param scope the construct (and its children) the acknowledgement covers
   * @param id the warning id, as printed after `ack:`
   * @param reason why it is fine, for the reader of the code
   *
   * @default reason - none
   */
  public static acknowledge(scope: IConstruct, id: string, reason?: string): void {
    scope.node.addMetadata(ACK_METADATA, { id, reason });
  }

  /** Whether the warning `id` is acknowledged on `scope` or one of its ancestors. */
  public static isAcknowledged(scope: IConstruct, id: string): boolean {
    return scope.node.scopes.some(s => s.node.metadata.some(m => m.type === ACK_METADATA && m.data?.id === id));
  }

  /** All warnings recorded on `scope` and its descendants, in tree order, as `<path>: <message>` (acknowledged ones included). */
  public static collect(scope: IConstruct): string[] {
    return warningRecords(scope).map(w => w.text);
  }

  /** All warning ids recorded on `scope` and its descendants, in tree order. */
  public static collectIds(scope: IConstruct): string[] {
    return warningRecords(scope).map(w => w.id);
  }

  private constructor() {}
}

/** The warnings recorded under `scope`, each once (the same id and text on one construct counts once) (internal). */
export function warningRecords(scope: IConstruct, all: IConstruct[] = scope.node.findAll()): WarningRecord[] {
  const out: WarningRecord[] = [];
  for (const c of all) {
    const seen = new Set<string>();
    for (const m of c.node.metadata) {
      if (m.type !== WARNING_METADATA) continue;
      const w = typeof m.data === 'string' ? { id: UNSPECIFIED_WARNING_ID, text: m.data } : m.data;
      const key = `${w.id}\n${w.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ scope: c, id: w.id, text: w.text });
    }
  }
  return out;
}

/** How a warning is printed (internal). */
export function formatWarning(w: WarningRecord): string {
  return `[cdk8s-paas] warning: ${w.text} [ack: ${w.id}]\n`;
}

/** Whether warnings are silenced (`CDK8S_PAAS_QUIET_WARNINGS=1`) (internal). */
export function warningsQuiet(): boolean {
  return process.env.CDK8S_PAAS_QUIET_WARNINGS === '1';
}
