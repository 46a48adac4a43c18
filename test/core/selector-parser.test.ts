import * as fs from 'fs';
import * as path from 'path';
import { ValidationError } from '../../src/core/errors';
import { Selector } from '../../src/network';

// Calico's own test vectors (libcalico-go @ v3.27.5), copied from shared/reference.
const ORACLE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'calico-selectors.json'), 'utf-8'));

describe('parser classifies every example of calico-selectors.json as Calico does', () => {
  const valid: Array<{ selector: string; canonical: string }> = ORACLE.provenance.valid;
  const invalid: Array<{ selector: string; error: string }> = ORACLE.provenance.invalid;
  const extra: Array<{ selector: string; parses: boolean; canonical?: string }> = ORACLE.extra_edge_cases_not_from_calico_tests.results;

  test('the provenance lists match the top-level lists', () => {
    expect(valid.map(v => v.selector)).toEqual(ORACLE.valid);
    expect(invalid.map(v => v.selector)).toEqual(ORACLE.invalid);
  });

  test.each(valid.map(v => [v.selector, v.canonical]))('valid %j -> canonical %j', (sel, canonical) => {
    const s = Selector.parse(sel);
    expect(s.canonical).toBe(canonical);
    expect(s.expression).toBe(sel);
    // the canonical form parses back to itself
    expect(Selector.parse(canonical).canonical).toBe(canonical);
  });

  test.each(invalid.map(v => [v.selector, v.error]))('invalid %j (Calico: %s)', (sel) => {
    expect(() => Selector.parse(sel)).toThrow(ValidationError);
    expect(Selector.syntaxError(sel)).toMatch(/^Selector.parse: expression: .* is not a valid Calico selector: .* at position \d+/);
  });

  test.each(extra.map(v => [v.selector, v.parses, v.canonical]))('extra edge case %j parses=%s', (sel, parses, canonical) => {
    if (parses) {
      expect(Selector.parse(sel).canonical).toBe(canonical);
    } else {
      expect(() => Selector.parse(sel)).toThrow(ValidationError);
    }
  });
});

describe('errors point at the offending position', () => {
  test.each([
    ['b == b', 5, 'expected a quoted string after "==", found label "b"'],
    ['a b', 2, 'unexpected characters after label "a"'],
    ['foo == "bar" &', 13, 'expected "&&"'],
    ['(a == "foo"', 11, 'expected ")" to close the "(" at position 0'],
    ['a == "b" && %', 12, 'unexpected character'],
    ['"FOO', 0, 'unterminated string'],
    ['foo in ""', 7, 'expected a set literal'],
    ['a == "b" c', 9, 'after a complete expression'],
    ['b', 1, 'unexpected end of selector after label "b"'],
  ])('%j: position %d', (sel, pos, reason) => {
    const msg = Selector.syntaxError(sel)!;
    expect(msg).toContain(`"${sel}" is not a valid Calico selector: `);
    expect(msg).toContain(reason);
    expect(msg).toContain(`at position ${pos} `);
  });
});
