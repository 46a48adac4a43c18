import { ValidationError } from '../core/errors';

// calico-v3-api.json EntityRule ports: a named port matches ^[a-zA-Z0-9_.-]{1,128}$
const NAMED = /^[a-zA-Z0-9_.-]{1,128}$/;

function fail(factory: string, value: any, reason: string): never {
  throw ValidationError.unscoped(`Port.${factory}`, 'port', value, reason);
}

function checkNumber(factory: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    fail(factory, value, 'is not a valid port: port number must be between 1 and 65535');
  }
  return value;
}

/**
 * A port match of a Calico rule: a number, a range `min:max` or a named
 * (container) port. Rules that match ports must set protocol TCP, UDP or SCTP.
 */
export class Port {
  /**
   * One port number.
   *
   * @param port 1-65535
   */
  public static of(port: number): Port {
    return new Port(checkNumber('of', port), port);
  }

  /**
   * An inclusive range `min:max`.
   *
   * @param min first port, 1-65535
   * @param max last port, min-65535
   */
  public static range(min: number, max: number): Port {
    checkNumber('range', min);
    checkNumber('range', max);
    if (min > max) fail('range', `${min}:${max}`, 'is not a valid port range: min must not be greater than max');
    return new Port(min, max);
  }

  /**
   * A named port of the selected pods' containers, e.g. 'http'.
   *
   * Calico accepts 1 to 128 letters, digits, '_', '.' or '-'. The Kubernetes
   * flavor needs more (a Kubernetes IANA service name, e.g. 'http') and checks
   * it when it translates the rule.
   *
   * @param name 1-128 characters of [a-zA-Z0-9_.-]
   */
  public static named(name: string): Port {
    if (typeof name !== 'string' || !NAMED.test(name)) {
      fail('named', name, 'is not a valid port name: 1 to 128 letters, digits, "_", "." or "-" (^[a-zA-Z0-9_.-]{1,128}$, e.g. "http")');
    }
    return new Port(0, 0, name);
  }

  /**
   * Parse Calico's string form: '80', '8000:8080' or a port name.
   *
   * @param spec the port as written in a Calico manifest
   */
  public static parse(spec: string): Port {
    const s = String(spec);
    if (/^\d+$/.test(s)) return Port.of(Number(s));
    const m = /^(\d+):(\d+)$/.exec(s);
    if (m) return Port.range(Number(m[1]), Number(m[2]));
    if (/^[\d:]+$/.test(s)) fail('parse', spec, 'is not a valid port: expected N, MIN:MAX or a port name');
    return Port.named(s);
  }

  /** First port of the range (0 for a named port). */
  public readonly min: number;
  /** Last port of the range (0 for a named port). */
  public readonly max: number;
  /** The port name, for a named port. */
  public readonly name?: string;

  private constructor(min: number, max: number, name?: string) {
    this.min = min;
    this.max = max;
    this.name = name;
  }

  /** True for a range of more than one port. */
  public get isRange(): boolean {
    return this.name === undefined && this.max > this.min;
  }

  /** Calico's form: '80', '8000:8080' or the name. */
  public toString(): string {
    if (this.name !== undefined) return this.name;
    return this.isRange ? `${this.min}:${this.max}` : String(this.min);
  }

  /** @internal the manifest value: a number for one port, else a string */
  public _json(): any {
    return this.name === undefined && !this.isRange ? this.min : this.toString();
  }
}
