import * as fs from 'fs';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';

const MIN_KEY_BYTES = 32;
const CONFIGURED = new WeakMap<IConstruct, SecretHashKey>();

/**
 * The key of the HMAC that fingerprints Secret content for rollouts.
 *
 * A plain hash of a low-entropy secret (a 6-digit PIN, a dictionary password)
 * is a leak: anyone who can read the Deployment can try candidates until the
 * hash matches. The pod-template annotation of Secrets therefore carries
 * HMAC-SHA256(key, content), where the key is material that never appears in
 * the output and is the same on every machine that synthesizes the app (a CI
 * secret variable, like the secret values themselves). Without it no one can
 * test a guess against the annotation; with the same key, the same content
 * gives the same annotation on every run and machine.
 */
export class SecretHashKey {
  /** The environment variable read when no key is configured: `CDK8S_PAAS_SECRET_HASH_KEY`. */
  public static readonly DEFAULT_VARIABLE: string = 'CDK8S_PAAS_SECRET_HASH_KEY';

  /**
   * A key read from an environment variable of the synth process.
   *
   * @param variable the variable name
   */
  public static fromEnv(variable: string): SecretHashKey {
    const value = process.env[variable];
    if (value === undefined || value === '') {
      throw ValidationError.unscoped('SecretHashKey.fromEnv', 'variable', variable,
        `is not set in the synth environment; set it to at least ${MIN_KEY_BYTES} random characters (e.g. "openssl rand -hex 32"), kept secret like the secret values`);
    }
    return new SecretHashKey(Buffer.from(value, 'utf-8'), `environment variable ${variable}`);
  }

  /**
   * A key read from a file at synth time (trailing newline ignored).
   *
   * @param file path of the file
   */
  public static fromFile(file: string): SecretHashKey {
    let value: string;
    try {
      value = fs.readFileSync(file, 'utf-8').replace(/\r?\n$/, '');
    } catch (e: any) {
      throw ValidationError.unscoped('SecretHashKey.fromFile', 'file', file,
        `cannot be read (${e.code ?? 'error'}): give a readable file holding at least ${MIN_KEY_BYTES} random characters`);
    }
    return new SecretHashKey(Buffer.from(value, 'utf-8'), `file ${file}`);
  }

  /**
   * Use `key` for every Secret of the app that `scope` belongs to.
   *
   * @param scope any construct of the app
   * @param key the key
   */
  public static use(scope: IConstruct, key: SecretHashKey): void {
    CONFIGURED.set(scope.node.root, key);
  }

  /**
   * The key configured with `use`, else the one in `CDK8S_PAAS_SECRET_HASH_KEY`, else undefined.
   *
   * @param scope any construct of the app
   */
  public static tryOf(scope: IConstruct): SecretHashKey | undefined {
    const configured = CONFIGURED.get(scope.node.root);
    if (configured) return configured;
    const v = process.env[SecretHashKey.DEFAULT_VARIABLE];
    return v ? new SecretHashKey(Buffer.from(v, 'utf-8'), `environment variable ${SecretHashKey.DEFAULT_VARIABLE}`) : undefined;
  }

  /** Where the key came from (never the key itself). */
  public readonly source: string;
  private readonly key: Buffer;

  private constructor(key: Buffer, source: string) {
    if (key.length < MIN_KEY_BYTES) {
      // the value is a secret: the message shows its length only
      throw ValidationError.unscoped('SecretHashKey', source, `<hidden, ${key.length} bytes>`,
        `is too short to key an HMAC: use at least ${MIN_KEY_BYTES} random characters (e.g. "openssl rand -hex 32")`);
    }
    this.key = key;
    this.source = source;
  }

  /** @internal */
  public _material(): Buffer {
    return this.key;
  }
}
