import { IConstruct } from 'constructs';

/** Marks every ValidationError, across copies of the package (`Symbol.for` is process-wide). */
const BRAND = Symbol.for('cdk8s-paas.ValidationError');

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
    const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
    return `${path}: ${field}: ${shown} ${reason}`;
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
  public static isValidationError(x: any): boolean {
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

// jsii cannot publish a class that extends the built-in Error, so the
// prototype chain is linked here: `err instanceof Error` holds, and Node
// prints the stack of an uncaught ValidationError like any other error.
Object.setPrototypeOf(ValidationError.prototype, Error.prototype);
