// Calico selector grammar (libcalico-go/lib/selector, v3.27.5): tokenizer,
// recursive-descent parser and canonical printer. Internal module: the public
// API is `Selector` in ./selector.ts.
//
// The tokenizer and parser mirror Calico's so that every input is classified
// exactly as Calico classifies it (test/core/selector-parser.test.ts checks
// every example of calico-selectors.json). Unlike Calico, each error carries
// the offset of the offending character.

/** Token kinds, numbered as in Calico's tokenizer (used in a few messages). */
export enum Tok {
  LABEL = 1, STRING = 2, LBRACE = 3, RBRACE = 4, COMMA = 5, EQ = 6, NE = 7, IN = 8, NOT = 9, NOT_IN = 10,
  CONTAINS = 11, STARTS_WITH = 12, ENDS_WITH = 13, ALL = 14, HAS = 15, LPAREN = 16, RPAREN = 17, AND = 18,
  OR = 19, GLOBAL = 20, EOF = 21,
}

interface Token {
  readonly kind: Tok;
  readonly value?: string;
  /** Offset of the token's first character in the input. */
  readonly pos: number;
}

/** A syntax error at an offset of the selector text. */
export class SelectorSyntaxError {
  public constructor(public readonly pos: number, public readonly reason: string) {}
}

/** Selector AST. */
export type SelectorNode =
  | { readonly op: 'all' }
  | { readonly op: 'global' }
  | { readonly op: 'has'; readonly label: string }
  | { readonly op: '==' | '!=' | 'contains' | 'starts with' | 'ends with'; readonly label: string; readonly value: string }
  | { readonly op: 'in' | 'not in'; readonly label: string; readonly values: string[] }
  | { readonly op: 'not'; readonly operand: SelectorNode }
  | { readonly op: '&&' | '||'; readonly operands: SelectorNode[] };

// Go's RE2 `\s` is [\t\n\f\r ]; JavaScript's is wider, so spell it out.
const S = '[\\t\\n\\f\\r ]*';
export const LABEL_PATTERN = '[a-zA-Z0-9_./-]{1,512}';
const LABEL_RE = new RegExp(`^${LABEL_PATTERN}`);
const HAS_RE = new RegExp(`^has\\(${S}(${LABEL_PATTERN})${S}\\)`);
const ALL_RE = new RegExp(`^all\\(${S}\\)`);
const GLOBAL_RE = new RegExp(`^global\\(${S}\\)`);
const OPERATORS: Array<[RegExp, Tok]> = [
  [/^contains/, Tok.CONTAINS],
  [new RegExp(`^starts${S}with`), Tok.STARTS_WITH],
  [new RegExp(`^ends${S}with`), Tok.ENDS_WITH],
  [new RegExp(`^not${S}in\\b`), Tok.NOT_IN],
  [/^in\b/, Tok.IN],
];
const SINGLE: { [c: string]: Tok } = { '(': Tok.LPAREN, ')': Tok.RPAREN, '{': Tok.LBRACE, '}': Tok.RBRACE, ',': Tok.COMMA };
const DOUBLE: { [c: string]: [Tok, string] } = { '=': [Tok.EQ, '=='], '&': [Tok.AND, '&&'], '|': [Tok.OR, '||'] };

/** Splits a selector into tokens (Calico's tokenizer.Tokenize). */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < input.length && (input[i] === ' ' || input[i] === '\t')) i++;
    if (i >= input.length) {
      tokens.push({ kind: Tok.EOF, pos: i });
      return tokens;
    }
    const c = input[i];
    const last = tokens.length > 0 ? tokens[tokens.length - 1] : undefined;
    if (SINGLE[c] !== undefined) {
      tokens.push({ kind: SINGLE[c], pos: i });
      i += 1;
    } else if (c === '"' || c === '\'') {
      const end = input.indexOf(c, i + 1);
      if (end < 0) throw new SelectorSyntaxError(i, `unterminated string: no closing ${c} (selector strings have no escape sequences)`);
      tokens.push({ kind: Tok.STRING, value: input.slice(i + 1, end), pos: i });
      i = end + 1;
    } else if (DOUBLE[c] !== undefined) {
      const [kind, text] = DOUBLE[c];
      if (input[i + 1] !== c) throw new SelectorSyntaxError(i, `expected "${text}"`);
      tokens.push({ kind, pos: i });
      i += 2;
    } else if (c === '!') {
      const ne = input[i + 1] === '=';
      tokens.push({ kind: ne ? Tok.NE : Tok.NOT, pos: i });
      i += ne ? 2 : 1;
    } else {
      const rest = input.slice(i);
      if (last?.kind === Tok.LABEL) {
        // after a label only an operator word may follow
        const op = OPERATORS.find(([re]) => re.test(rest));
        if (!op) {
          throw new SelectorSyntaxError(i, `unexpected characters after label "${last.value}": expected an operator `
            + '(==, !=, contains, starts with, ends with, in, not in)');
        }
        tokens.push({ kind: op[1], pos: i });
        i += op[0].exec(rest)![0].length;
      } else {
        let m: RegExpExecArray | null;
        if ((m = HAS_RE.exec(rest))) {
          tokens.push({ kind: Tok.HAS, value: m[1], pos: i });
        } else if ((m = ALL_RE.exec(rest))) {
          tokens.push({ kind: Tok.ALL, pos: i });
        } else if ((m = GLOBAL_RE.exec(rest))) {
          tokens.push({ kind: Tok.GLOBAL, pos: i });
        } else if ((m = LABEL_RE.exec(rest))) {
          tokens.push({ kind: Tok.LABEL, value: m[0], pos: i });
        } else {
          throw new SelectorSyntaxError(i, 'unexpected character: expected a label ([a-zA-Z0-9_./-]), a string, '
            + 'has(label), all(), global(), "(" or "!" (only spaces and tabs separate tokens)');
        }
        i += m[0].length;
      }
    }
  }
}

const CMP: { [k: number]: '==' | '!=' | 'contains' | 'starts with' | 'ends with' } = {
  [Tok.EQ]: '==', [Tok.NE]: '!=', [Tok.CONTAINS]: 'contains', [Tok.STARTS_WITH]: 'starts with', [Tok.ENDS_WITH]: 'ends with',
};

function describe(t: Token): string {
  switch (t.kind) {
    case Tok.EOF: return 'end of selector';
    case Tok.STRING: return `string "${t.value}"`;
    case Tok.LABEL: return `label "${t.value}"`;
    default: return `"${TOKEN_TEXT[t.kind] ?? '?'}"`;
  }
}
const TOKEN_TEXT: { [k: number]: string } = {
  [Tok.LBRACE]: '{',
  [Tok.RBRACE]: '}',
  [Tok.COMMA]: ',',
  [Tok.EQ]: '==',
  [Tok.NE]: '!=',
  [Tok.IN]: 'in',
  [Tok.NOT]: '!',
  [Tok.NOT_IN]: 'not in',
  [Tok.CONTAINS]: 'contains',
  [Tok.STARTS_WITH]: 'starts with',
  [Tok.ENDS_WITH]: 'ends with',
  [Tok.ALL]: 'all()',
  [Tok.HAS]: 'has(...)',
  [Tok.LPAREN]: '(',
  [Tok.RPAREN]: ')',
  [Tok.AND]: '&&',
  [Tok.OR]: '||',
  [Tok.GLOBAL]: 'global()',
};

/** Recursive-descent parser over a token list (Calico's parser.Parse). */
class Parser {
  private i = 0;
  public constructor(private readonly tokens: Token[]) {}

  public parse(): SelectorNode {
    if (this.peek().kind === Tok.EOF) return { op: 'all' };
    const node = this.orExpr();
    if (this.peek().kind !== Tok.EOF) {
      throw new SelectorSyntaxError(this.peek().pos, `unexpected ${describe(this.peek())} after a complete expression: join expressions with && or ||`);
    }
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private orExpr(): SelectorNode {
    return this.binary(Tok.OR, '||', () => this.andExpr());
  }

  private andExpr(): SelectorNode {
    return this.binary(Tok.AND, '&&', () => this.operation());
  }

  private binary(kind: Tok, op: '&&' | '||', next: () => SelectorNode): SelectorNode {
    const operands = [next()];
    while (this.peek().kind === kind) {
      this.i++;
      operands.push(next());
    }
    return operands.length === 1 ? operands[0] : { op, operands };
  }

  private operation(): SelectorNode {
    let negations = 0;
    while (this.peek().kind === Tok.NOT) {
      negations++;
      this.i++;
    }
    if (negations > 0) {
      const operand = this.operation();
      return negations % 2 === 1 ? { op: 'not', operand } : operand;
    }
    const t = this.peek();
    switch (t.kind) {
      case Tok.HAS:
        this.i++;
        return { op: 'has', label: t.value! };
      case Tok.ALL:
        this.i++;
        return { op: 'all' };
      case Tok.GLOBAL:
        this.i++;
        return { op: 'global' };
      case Tok.LABEL:
        return this.comparison(t);
      case Tok.LPAREN: {
        this.i++;
        const inner = this.orExpr();
        if (this.peek().kind !== Tok.RPAREN) {
          throw new SelectorSyntaxError(this.peek().pos, `expected ")" to close the "(" at position ${t.pos}, found ${describe(this.peek())}`);
        }
        this.i++;
        return inner;
      }
      default:
        throw new SelectorSyntaxError(t.pos, `unexpected ${describe(t)}: expected a label comparison, has(label), all(), global(), "(" or "!"`);
    }
  }

  private comparison(label: Token): SelectorNode {
    const op = this.peek(1);
    const operand = this.peek(2);
    if (op.kind === Tok.EOF) {
      throw new SelectorSyntaxError(op.pos, `unexpected end of selector after label "${label.value}": expected an operator and a value, e.g. ${label.value} == "x"`);
    }
    const cmp = CMP[op.kind];
    if (cmp !== undefined) {
      if (operand.kind !== Tok.STRING) {
        throw new SelectorSyntaxError(operand.pos, `expected a quoted string after ${describe(op)}, found ${describe(operand)}`);
      }
      this.i += 3;
      return { op: cmp, label: label.value!, value: operand.value! };
    }
    if (op.kind === Tok.IN || op.kind === Tok.NOT_IN) {
      if (operand.kind !== Tok.LBRACE) {
        throw new SelectorSyntaxError(operand.pos, `expected a set literal such as {"a", "b"} after ${describe(op)}, found ${describe(operand)}`);
      }
      this.i += 3;
      const values: string[] = [];
      while (this.peek().kind === Tok.STRING) {
        values.push(this.peek().value!);
        this.i++;
        if (this.peek().kind !== Tok.COMMA) break;
        this.i++;
      }
      if (this.peek().kind !== Tok.RBRACE) {
        throw new SelectorSyntaxError(this.peek().pos, `expected "}" or a string in the set, found ${describe(this.peek())}`);
      }
      this.i++;
      return { op: op.kind === Tok.IN ? 'in' : 'not in', label: label.value!, values: [...new Set(values)].sort(compareBytes) };
    }
    throw new SelectorSyntaxError(op.pos, `expected an operator (==, !=, contains, starts with, ends with, in, not in) after label "${label.value}", found ${describe(op)}`);
  }
}

function compareBytes(a: string, b: string): number {
  const x = Buffer.from(a, 'utf-8');
  const y = Buffer.from(b, 'utf-8');
  return Buffer.compare(x, y);
}

/** Parses a selector; throws SelectorSyntaxError. */
export function parseSelector(input: string): SelectorNode {
  return new Parser(tokenize(input)).parse();
}

/** Quotes a value as Calico does: double quotes unless the value contains one. */
export function quote(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/** Calico's canonical form (the selector's String()). */
export function printSelector(node: SelectorNode): string {
  switch (node.op) {
    case 'all': return 'all()';
    case 'global': return 'global()';
    case 'has': return `has(${node.label})`;
    case 'in':
    case 'not in':
      return `${node.label} ${node.op} {${node.values.map(quote).join(', ')}}`;
    case 'not': return `!${printSelector(node.operand)}`;
    case '&&':
    case '||':
      return `(${node.operands.map(printSelector).join(` ${node.op} `)})`;
    default: return `${node.label} ${node.op} ${quote(node.value)}`;
  }
}

/** True when any node of the tree is `global()`. */
export function containsGlobal(node: SelectorNode): boolean {
  switch (node.op) {
    case 'global': return true;
    case 'not': return containsGlobal(node.operand);
    case '&&':
    case '||': return node.operands.some(containsGlobal);
    default: return false;
  }
}
