import { ValidationError } from '../core/errors';
import { LABEL_PATTERN, parseSelector, printSelector, SelectorNode, SelectorSyntaxError } from '../core/selector-parser';

const LABEL = new RegExp(`^${LABEL_PATTERN}$`);

/**
 * A Calico selector expression (`app == "web" && has(tier)`).
 *
 * Build one with the typed builder (`Selector.label('app').equalTo('web')`,
 * `.in([...])`, `Selector.has(...)`, `.and()`, `.or()`, `.not()`,
 * `Selector.all()`) or parse a raw string with `Selector.parse(...)`, which
 * implements Calico's grammar and reports the position of a syntax error.
 * Builder output always parses back to the same canonical form.
 * The comparison is `equalTo`/`notEqualTo`, not `equals`, because jsii forbids a member named `equals`.
 */
export class Selector {
  /** Selects everything (`all()`); an empty selector means the same. */
  public static all(): Selector {
    return new Selector({ op: 'all' });
  }

  /**
   * `global()`: selects non-namespaced resources (GlobalNetworkSets, host
   * endpoints). Calico accepts it only, on its own, as the `namespaceSelector`
   * of a rule's source or destination.
   */
  public static global(): Selector {
    return new Selector({ op: 'global' });
  }

  /**
   * Start a comparison on a label key.
   *
   * @param key a label key, e.g. 'app' or 'app.kubernetes.io/name'
   */
  public static label(key: string): SelectorLabel {
    return SelectorLabel.of(key);
  }

  /**
   * `has(key)`: the label is present, whatever its value.
   *
   * @param key a label key
   */
  public static has(key: string): Selector {
    return new Selector({ op: 'has', label: checkKey(key) });
  }

  /**
   * Every label equal to the given value (`a == "x" && b == "y"`); `all()` when empty.
   *
   * @param labels label key to value
   */
  public static matchLabels(labels: { [key: string]: string }): Selector {
    const parts = Object.keys(labels).sort().map(k => Selector.label(k).equalTo(labels[k]));
    if (parts.length === 0) return Selector.all();
    return parts.length === 1 ? parts[0] : parts[0].and(...parts.slice(1));
  }

  /**
   * Parse and validate a raw Calico selector string.
   *
   * The text is kept as written (it is what the manifest carries).
   *
   * @param expression e.g. 'app == "web" && !has(canary)'
   * @throws ValidationError naming the position of the first syntax error
   */
  public static parse(expression: string): Selector {
    return new Selector(Selector._check('Selector.parse', 'expression', expression), expression);
  }

  /**
   * The syntax error of a selector, or `undefined` when it is valid.
   *
   * @param expression a raw selector string
   */
  public static syntaxError(expression: string): string | undefined {
    try {
      Selector._check('Selector.parse', 'expression', expression);
      return undefined;
    } catch (e) {
      return (e as ValidationError).message;
    }
  }

  /** @internal */
  public static _check(path: string, field: string, expression: string): SelectorNode {
    if (typeof expression !== 'string') {
      throw ValidationError.unscoped(path, field, expression, 'is not a selector: expected a string');
    }
    try {
      return parseSelector(expression);
    } catch (e) {
      if (!(e instanceof SelectorSyntaxError)) throw e;
      const near = expression.slice(e.pos, e.pos + 12);
      const where = e.pos >= expression.length ? `at position ${e.pos} (end of selector)` : `at position ${e.pos} (near "${near}")`;
      throw ValidationError.unscoped(path, field, expression,
        `is not a valid Calico selector: ${e.reason} ${where}`);
    }
  }

  /** The selector text written into manifests. */
  public readonly expression: string;

  /** @internal */
  public readonly _node: SelectorNode;

  private constructor(node: SelectorNode, expression?: string) {
    this._node = node;
    this.expression = expression ?? printSelector(node);
  }

  /** Calico's canonical form of the selector (what `calicoctl get -o yaml` shows after normalising). */
  public get canonical(): string {
    return printSelector(this._node);
  }

  /** True when the selector selects everything (`all()`, empty or whitespace). */
  public get isAll(): boolean {
    return this._node.op === 'all';
  }

  /**
   * Both this and every other selector match (`&&`).
   *
   * @param others further selectors
   */
  public and(...others: Selector[]): Selector {
    return new Selector({ op: '&&', operands: [this._node, ...others.map(o => o._node)] });
  }

  /**
   * This or any other selector matches (`||`).
   *
   * @param others further selectors
   */
  public or(...others: Selector[]): Selector {
    return new Selector({ op: '||', operands: [this._node, ...others.map(o => o._node)] });
  }

  /** The negation (`!`); a double negation cancels out. */
  public not(): Selector {
    return new Selector(this._node.op === 'not' ? this._node.operand : { op: 'not', operand: this._node });
  }

  /** The selector text. */
  public toString(): string {
    return this.expression;
  }
}

/**
 * The comparisons available on one label key; see `Selector.label()`.
 *
 * `Selector.label('app').equalTo('web')` is the `.equals('web')` of Calico-style
 * builders: jsii forbids a member named `equals`, so it is `equalTo`/`notEqualTo`.
 */
export class SelectorLabel {
  /**
   * Start a comparison on a label key (same as `Selector.label(key)`).
   *
   * @param key a label key
   */
  public static of(key: string): SelectorLabel {
    return new SelectorLabel(checkKey(key));
  }

  /** The label key. */
  public readonly key: string;

  private constructor(key: string) {
    this.key = key;
  }

  /**
   * `key == "value"` (the label is present and equal).
   *
   * @param value the label value
   */
  public equalTo(value: string): Selector {
    return this.cmp('==', value);
  }

  /**
   * `key != "value"` (absent or different).
   *
   * @param value the label value
   */
  public notEqualTo(value: string): Selector {
    return this.cmp('!=', value);
  }

  /**
   * `key in {"a", "b"}`.
   *
   * @param values the accepted values (may be empty)
   */
  public in(values: string[]): Selector {
    return this.set('in', values);
  }

  /**
   * `key not in {"a", "b"}` (absent or none of the values).
   *
   * @param values the rejected values
   */
  public notIn(values: string[]): Selector {
    return this.set('not in', values);
  }

  /** `has(key)`. */
  public has(): Selector {
    return Selector.has(this.key);
  }

  /** `!has(key)`. */
  public notHas(): Selector {
    return Selector.has(this.key).not();
  }

  /**
   * `key contains "part"`.
   *
   * @param part a substring of the value
   */
  public contains(part: string): Selector {
    return this.cmp('contains', part);
  }

  /**
   * `key starts with "prefix"`.
   *
   * @param prefix the value's prefix
   */
  public startsWith(prefix: string): Selector {
    return this.cmp('starts with', prefix);
  }

  /**
   * `key ends with "suffix"`.
   *
   * @param suffix the value's suffix
   */
  public endsWith(suffix: string): Selector {
    return this.cmp('ends with', suffix);
  }

  private cmp(op: '==' | '!=' | 'contains' | 'starts with' | 'ends with', value: string): Selector {
    return selectorOf({ op, label: this.key, value: checkValue(value) });
  }

  private set(op: 'in' | 'not in', values: string[]): Selector {
    if (!Array.isArray(values)) {
      throw new ValidationError(ValidationError.format('Selector', `label(${this.key}).${op === 'in' ? 'in' : 'notIn'}`, values,
        'is not a list of strings'), 'Selector', 'values');
    }
    const sorted = [...new Set(values.map(checkValue))].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return selectorOf({ op, label: this.key, values: sorted });
  }
}

function selectorOf(node: SelectorNode): Selector {
  // the constructor is private to keep the factories the only public way in
  return new (Selector as any)(node);
}

function checkKey(key: string): string {
  if (typeof key !== 'string' || !LABEL.test(key)) {
    throw ValidationError.unscoped('Selector', 'label', key,
      'is not a selector label key: 1 to 512 characters of [a-zA-Z0-9_./-], e.g. "app.kubernetes.io/name"');
  }
  return key;
}

function checkValue(value: string): string {
  if (typeof value !== 'string' || (value.includes('"') && value.includes('\''))) {
    throw ValidationError.unscoped('Selector', 'value', value,
      'cannot be written in a Calico selector: a value must be a string that does not contain both \' and " (selector strings have no escapes)');
  }
  return value;
}
