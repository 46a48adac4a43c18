import { IConstruct } from 'constructs';

/** Marks every ValidationError, across copies of the package (`Symbol.for` is process-wide). */
const BRAND = Symbol.for('cdk8s-paas.ValidationError');
/** Marks a stand-in for a value that must not be shown (a Secret's): messages print its text unquoted (see core/checks.ts). */
const SHOWN_AS = Symbol.for('cdk8s-paas.shown-as');

/**
 * The single error type of cdk8s-paas.
 *
 * Every message names the construct path, the field, the value received and
 * what would be valid, e.g.
 * `itil/onecmdb: artifacts[1].wars[0]: "ROOT.war" is also provided by artifacts[0]; each WAR name must be unique within an app`.
 */
export class ValidationError {
  /**
   * Format a message in the library's convention without throwing.
   *
   * Used for construct validations (`node.addValidation`), which return
   * strings rather than throw.
   *
   * @param path construct path (or file/object reference)
   * @param field the field that is wrong
   * @param value the value received (quoted in the message)
   * @param reason what is wrong and what would be valid
   */
  public static format(path: string, field: string, value: any, reason: string): string {
    return `${path}: ${field}: ${ValidationError.show(value)} ${reason}`;
  }

  /**
   * A value as messages show it; never throws.
   *
   * Strings are quoted, numbers keep `NaN`, `Infinity` and `-0`, BigInts
   * their `n` (`10n`), functions and symbols their name, circular references
   * show as `[Circular]`; other values are JSON-like.
   *
   * @param value any value
   */
  public static show(value: any): string {
    try {
      return showValue(value, new Set());
    } catch {
      return '(a value that cannot be shown)';
    }
  }

  /**
   * Create an error for a construct.
   *
   * @param scope the construct whose prop is invalid (its path is used)
   * @param field the field that is wrong, e.g. `artifacts[0].wars[1]`
   * @param value the value received
   * @param reason what is wrong and what would be valid, lower-case, no trailing period
   */
  public static of(scope: IConstruct, field: string, value: any, reason: string): ValidationError {
    return new ValidationError(ValidationError.format(scope.node.path, field, value, reason), scope.node.path, field);
  }

  /**
   * Create an error about a value that belongs to no construct: a value
   * object's factory (`TomcatRuntime.of`), a CLI argument, a file.
   *
   * @param origin where the value was given, in place of a construct path, e.g. `TomcatRuntime.of`
   * @param field the field or argument that is wrong
   * @param value the value received
   * @param reason what is wrong and what would be valid, lower-case, no trailing period
   */
  public static unscoped(origin: string, field: string, value: any, reason: string): ValidationError {
    return new ValidationError(ValidationError.format(origin, field, value, reason), origin, field);
  }

  /**
   * True when `x` is a cdk8s-paas `ValidationError`, also one thrown by
   * another copy of the package loaded in the same process (where
   * `instanceof` fails).
   *
   * @param x any value, typically a caught error
   */
  public static isValidationError(x: any): x is ValidationError {
    return x !== null && typeof x === 'object' && (x as any)[BRAND] === true;
  }

  /** Always `ValidationError`. */
  public readonly name: string = 'ValidationError';
  /** The full message. */
  public readonly message: string;
  /** The stack trace where the error was created. */
  public readonly stack?: string;
  /** The construct path (or object reference) the error is about. */
  public readonly path: string;
  /** The field that is invalid. */
  public readonly field: string;

  /**
   * @param message the full message
   * @param path construct path or object reference
   * @param field the invalid field
   */
  public constructor(message: string, path: string, field: string) {
    this.message = message;
    this.path = path;
    this.field = field;
    Object.defineProperty(this, BRAND, { value: true });
    Error.captureStackTrace(this, ValidationError);
  }

  /** `ValidationError: <message>`. */
  public toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

function showValue(v: any, seen: Set<object>): string {
  if (v !== null && typeof v === 'object' && typeof v[SHOWN_AS] === 'string') return v[SHOWN_AS];
  switch (typeof v) {
    case 'string': return `"${v}"`;
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return `${v}n`;
    case 'boolean': return String(v);
    case 'undefined': return 'undefined';
    case 'symbol': return v.toString();
    case 'function': return `[Function${v.name ? ` ${v.name}` : ''}]`;
  }
  if (v === null) return 'null';
  if (seen.has(v)) return '[Circular]';
  seen.add(v);
  try {
    if (Array.isArray(v)) return `[${v.map(x => showValue(x, seen)).join(',')}]`;
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    if (v instanceof RegExp) return String(v);
    const proto = Object.getPrototypeOf(v);
    const cls = proto && proto !== Object.prototype && typeof proto.constructor === 'function' ? proto.constructor.name : '';
    const body = Object.keys(v).filter(k => v[k] !== undefined).map(k => `${JSON.stringify(k)}:${showValue(v[k], seen)}`).join(',');
    return `${cls && cls !== 'Object' ? `${cls} ` : ''}{${body}}`;
  } finally {
    seen.delete(v);
  }
}

// jsii cannot publish a class that extends the built-in Error, so the
// prototype chain is linked here: `err instanceof Error` holds, and Node
// prints the stack of an uncaught ValidationError like any other error.
Object.setPrototypeOf(ValidationError.prototype, Error.prototype);
