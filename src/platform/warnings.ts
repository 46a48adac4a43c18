import { IConstruct } from 'constructs';

const WARNING_METADATA = 'cdk8s-paas:warning';

/**
 * Synth-time warnings (end-of-life runtimes, deprecated plugins, plaintext
 * secrets). A warning never stops synthesis; it is printed to stderr once
 * when the app validates, and can be listed with `Warnings.collect(scope)`.
 */
export class Warnings {
  /**
   * Record a warning on a construct.
   *
   * @param scope the construct the warning is about (its path is prefixed)
   * @param message lower-case, no trailing period
   */
  public static add(scope: IConstruct, message: string): void {
    Warnings._addWhen(scope, () => message, true);
  }

  /**
   * @internal A warning decided when the app validates (when the whole tree
   * is known): `produce` returns the message, or undefined for none.
   */
  public static _addWhen(scope: IConstruct, produce: () => string | undefined, eager = false): void {
    const record = (message: string) => {
      const text = `${scope.node.path}: ${message}`;
      scope.node.addMetadata(WARNING_METADATA, text);
      return text;
    };
    const eagerText = eager ? record(produce()!) : undefined;
    let printed = false;
    scope.node.addValidation({
      validate: () => {
        if (printed) return [];
        printed = true;
        const message = eager ? undefined : produce();
        const text = eagerText ?? (message !== undefined ? record(message) : undefined);
        if (text !== undefined && process.env.CDK8S_PAAS_QUIET_WARNINGS !== '1') {
          process.stderr.write(`[cdk8s-paas] warning: ${text}\n`);
        }
        return [];
      },
    });
  }

  /** All warnings recorded on `scope` and its descendants, in tree order. */
  public static collect(scope: IConstruct): string[] {
    const out: string[] = [];
    for (const c of scope.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type === WARNING_METADATA) out.push(String(m.data));
      }
    }
    return out;
  }
}
