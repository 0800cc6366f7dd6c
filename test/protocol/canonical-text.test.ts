import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStringifyForm } from '../../protocol/envelope/canonical-text.js';

/** The definition the fast check must agree with. */
const reference = (text: string) => JSON.stringify(JSON.parse(text)) === text;
const check = (text: string) => isStringifyForm(text, JSON.parse(text));

const long = 'Returns to Belgrade on Friday; prefers contact by phone after 17:00. '.repeat(3);

describe('one text, one meaning: the inner message is exactly its JSON.stringify form', () => {
  it('accepts what JSON.stringify produces, long strings included', () => {
    for (const value of [{ a: 1, b: [true, null, 'x'] }, { notes: long, n: -0.5, e: 1e21 }, [], {}, 'plain', 12, { 'ü€😀': 'Petrović ш ' + long }, { k: `${long}\u0001"\\` }]) {
      expect(check(JSON.stringify(value)), JSON.stringify(value).slice(0, 40)).toBe(true);
    }
  });

  it.each([
    ['duplicate key', `{"to":"node:open-gate","to":"node:astra"}`],
    ['duplicate key, long values', `{"notes":"${long}","notes":"${long}x"}`],
    ['whitespace', `{"a": 1}`],
    ['trailing newline', `{"a":1}\n`],
    ['escaped slash', `{"a":"x\\/y"}`],
    ['unicode escape for a plain letter', `{"a":"\\u0041"}`],
    ['unicode escape inside a long string', `{"notes":"${long}\\u0041"}`],
    ['upper-case hex escape for a control character', `{"a":"\\u001F"}`],
    ['number spelled 1.0', `{"a":1.0}`],
    ['number spelled 1E2', `{"a":1E2}`],
    ['negative zero', `{"a":-0}`],
    ['integer-like key out of order', `{"b":1,"0":2}`],
  ])('refuses %s', (_name, text) => {
    expect(reference(text)).toBe(false);
    expect(check(text)).toBe(false);
  });

  it('agrees with JSON.stringify(JSON.parse(t)) === t on random texts and their variants (fast-check)', () => {
    const variants = (text: string, pick: number): string[] => [
      text,
      text.replace(':', ': '),
      text.replace(/"([a-z]+)":/, '"$1":0,"$1":'),
      text.replace(/a/, '\\u0061'),
      text.replace(/(\d)/, '$1.0'),
      `${text.slice(0, pick % (text.length + 1))} ${text.slice(pick % (text.length + 1))}`,
    ];
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string({ minLength: 33, maxLength: 200 }), fc.nat(), (value, longString, pick) => {
        const text = JSON.stringify({ value, longString, [longString.slice(0, 5)]: value });
        for (const variant of variants(text, pick)) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(variant);
          } catch {
            continue;
          }
          expect(isStringifyForm(variant, parsed)).toBe(JSON.stringify(parsed) === variant);
        }
      }),
      { numRuns: 500 },
    );
  });
});
