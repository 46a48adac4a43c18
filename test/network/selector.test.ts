import * as fc from 'fast-check';
import { ValidationError } from '../../src/core/errors';
import { Selector, SelectorLabel } from '../../src/network';

describe('Selector builder', () => {
  test('comparisons print Calico syntax', () => {
    expect(Selector.label('app').equalTo('web').expression).toBe('app == "web"');
    expect(Selector.label('app').notEqualTo('web').expression).toBe('app != "web"');
    expect(Selector.label('tier').in(['b', 'a', 'b']).expression).toBe('tier in {"a", "b"}');
    expect(Selector.label('tier').notIn([]).expression).toBe('tier not in {}');
    expect(Selector.label('x').has().expression).toBe('has(x)');
    expect(Selector.label('x').notHas().expression).toBe('!has(x)');
    expect(Selector.has('x').expression).toBe('has(x)');
    expect(Selector.label('n').contains('a').expression).toBe('n contains "a"');
    expect(Selector.label('n').startsWith('a').expression).toBe('n starts with "a"');
    expect(Selector.label('n').endsWith('a').expression).toBe('n ends with "a"');
    expect(Selector.all().expression).toBe('all()');
    expect(Selector.global().expression).toBe('global()');
    expect(SelectorLabel.of('k').key).toBe('k');
  });

  test('and / or / not compose with explicit parentheses; double negation cancels', () => {
    const web = Selector.label('app').equalTo('web');
    const sel = web.and(Selector.has('tier').or(Selector.label('env').in(['prod']))).not();
    expect(sel.expression).toBe('!(app == "web" && (has(tier) || env in {"prod"}))');
    expect(sel.not().expression).toBe('(app == "web" && (has(tier) || env in {"prod"}))');
    expect(Selector.parse(sel.expression).canonical).toBe(sel.canonical);
  });

  test('a value with a double quote is single-quoted', () => {
    expect(Selector.label('a').equalTo('say "hi"').expression).toBe('a == \'say "hi"\'');
  });

  test('matchLabels ANDs the labels in key order; empty is all()', () => {
    expect(Selector.matchLabels({ b: '2', a: '1' }).expression).toBe('(a == "1" && b == "2")');
    expect(Selector.matchLabels({ a: '1' }).expression).toBe('a == "1"');
    expect(Selector.matchLabels({}).isAll).toBe(true);
  });

  test('parse keeps the text; canonical normalises', () => {
    const s = Selector.parse('  a=="b"||! !has(c) ');
    expect(s.expression).toBe('  a=="b"||! !has(c) ');
    expect(s.toString()).toBe('  a=="b"||! !has(c) ');
    expect(s.canonical).toBe('(a == "b" || has(c))');
    expect(Selector.parse('').isAll).toBe(true);
  });

  test('an invalid label key names the key', () => {
    expect(() => Selector.label('app name')).toThrow('Selector: label: "app name" is not a selector label key: 1 to 512 characters of [a-zA-Z0-9_./-]');
    expect(() => Selector.has('')).toThrow('label: "" is not a selector label key');
    expect(() => Selector.label('a'.repeat(513))).toThrow(ValidationError);
  });

  test('a value with both quote characters cannot be written', () => {
    expect(() => Selector.label('a').equalTo('it\'s "x"')).toThrow('Selector: value: "it\'s "x"" cannot be written in a Calico selector');
    expect(() => Selector.label('a').in(['ok', '\'"'])).toThrow('cannot be written in a Calico selector');
    expect(() => Selector.label('a').in('x' as any)).toThrow('label(a).in: "x" is not a list of strings');
  });

  test('parse rejects a non-string', () => {
    expect(() => Selector.parse(42 as any)).toThrow('Selector.parse: expression: 42 is not a selector: expected a string');
  });
});

// --- property-based tests -------------------------------------------------

const labelArb = fc.stringMatching(/^[a-zA-Z0-9_./-]{1,24}$/);
const valueArb = fc.string({ maxLength: 12, unit: 'binary' }).filter(v => !(v.includes('"') && v.includes('\'')));

const selectorArb: fc.Arbitrary<Selector> = fc.letrec<{ sel: Selector }>(tie => ({
  sel: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(Selector.all()),
    labelArb.map(l => Selector.has(l)),
    fc.tuple(labelArb, valueArb, fc.constantFrom('equalTo', 'notEqualTo', 'contains', 'startsWith', 'endsWith'))
      .map(([l, v, op]) => (Selector.label(l) as any)[op](v) as Selector),
    fc.tuple(labelArb, fc.array(valueArb, { maxLength: 4 }), fc.boolean())
      .map(([l, vs, neg]) => (neg ? Selector.label(l).notIn(vs) : Selector.label(l).in(vs))),
    tie('sel').map(s => s.not()),
    fc.tuple(tie('sel'), fc.array(tie('sel'), { minLength: 1, maxLength: 3 })).map(([a, rest]) => a.and(...rest)),
    fc.tuple(tie('sel'), fc.array(tie('sel'), { minLength: 1, maxLength: 3 })).map(([a, rest]) => a.or(...rest)),
  ),
})).sel;

describe('properties', () => {
  test('builder output always parses, to the same canonical form (round trip)', () => {
    fc.assert(fc.property(selectorArb, sel => {
      const parsed = Selector.parse(sel.expression);
      expect(parsed.canonical).toBe(sel.canonical);
      // the canonical form is a fixed point
      expect(Selector.parse(parsed.canonical).canonical).toBe(parsed.canonical);
    }), { numRuns: 500 });
  });

  const tokenSoup = fc.array(fc.constantFrom(
    'a', 'b/c', ' ', '\t', '\n', '==', '!=', '!', '=', '&&', '&', '||', '|', '(', ')', '{', '}', ',', '"x"', '\'y\'', '"', '\'',
    'in', 'not', 'not in', 'notin', 'contains', 'starts', 'with', 'ends with', 'has(', 'has(a)', 'all()', 'global()', 'all', '%', 'é',
  ), { maxLength: 14 }).map(parts => parts.join(''));

  test('the parser never throws anything but ValidationError, on any string', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), tokenSoup), text => {
      let sel: Selector | undefined;
      try {
        sel = Selector.parse(text);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).message).toMatch(/is not a valid Calico selector: [\s\S]* at position \d+/);
        return;
      }
      // whatever parses has a canonical form that parses to itself
      expect(Selector.parse(sel.canonical).canonical).toBe(sel.canonical);
    }), { numRuns: 3000 });
  });
});
