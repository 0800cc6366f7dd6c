import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalizationError, canonicalBytes, canonicalJson, isCanonicalText } from '../../protocol/crypto/canonical.js';
import { toHex } from '../helpers/vectors.js';

/**
 * RFC 8785 (JCS) conformance of protocol/crypto/canonical.ts.
 * Every RFC 8785 number vector is judged as the RFC prints it, including the doubles beyond
 * 2^53 (1e+21, 1e+30, ±1.7976931348623157e+308): JCS serialises any finite IEEE 754 double.
 */


function fromIeee754(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

interface NumberVector {
  bits: string;
  text: string;

}

// RFC 8785 Appendix B, in the RFC's order (the NaN and Infinity rows are below, with the refusals).
const APPENDIX_B: NumberVector[] = [
  { bits: '0000000000000000', text: '0' },
  { bits: '8000000000000000', text: '0' },
  { bits: '0000000000000001', text: '5e-324' },
  { bits: '8000000000000001', text: '-5e-324' },
  { bits: '7fefffffffffffff', text: '1.7976931348623157e+308' },
  { bits: 'ffefffffffffffff', text: '-1.7976931348623157e+308' },
  { bits: '4340000000000000', text: '9007199254740992' },
  { bits: 'c340000000000000', text: '-9007199254740992' },
  { bits: '4430000000000000', text: '295147905179352830000' },
  { bits: '44b52d02c7e14af5', text: '9.999999999999997e+22' },
  { bits: '44b52d02c7e14af6', text: '1e+23' },
  { bits: '44b52d02c7e14af7', text: '1.0000000000000001e+23' },
  { bits: '444b1ae4d6e2ef4e', text: '999999999999999700000' },
  { bits: '444b1ae4d6e2ef4f', text: '999999999999999900000' },
  { bits: '444b1ae4d6e2ef50', text: '1e+21' },
  { bits: '3eb0c6f7a0b5ed8c', text: '9.999999999999997e-7' },
  { bits: '3eb0c6f7a0b5ed8d', text: '0.000001' },
  { bits: '41b3de4355555553', text: '333333333.3333332' },
  { bits: '41b3de4355555554', text: '333333333.33333325' },
  { bits: '41b3de4355555555', text: '333333333.3333333' },
  { bits: '41b3de4355555556', text: '333333333.3333334' },
  { bits: '41b3de4355555557', text: '333333333.33333343' },
  { bits: 'becbf647612f3696', text: '-0.0000033333333333333333' },
  { bits: '43143ff3c1cb0959', text: '1424953923781206.2' },
];

describe('RFC 8785 Appendix B (number serialisation)', () => {
  it('premise: every row text reads back as its IEEE 754 bits', () => {
    for (const row of APPENDIX_B) {
      const value = fromIeee754(row.bits);
      expect(Number(row.text), row.bits).toBe(row.bits === '8000000000000000' ? 0 : value);
    }
    expect(Object.is(fromIeee754('8000000000000000'), -0)).toBe(true);
  });

  for (const row of APPENDIX_B) {
    it(`${row.bits} serialises as ${row.text}`, () => {
      const value = fromIeee754(row.bits);
      expect(canonicalJson(value)).toBe(row.text);
      expect(canonicalJson({ n: [value] })).toBe(`{"n":[${row.text}]}`);
    });
  }

  it('NaN and Infinity rows (7fffffffffffffff, 7ff0000000000000) are refused', () => {
    expect(() => canonicalJson(fromIeee754('7fffffffffffffff'))).toThrow(CanonicalizationError);
    expect(() => canonicalJson(fromIeee754('7ff0000000000000'))).toThrow(CanonicalizationError);
  });

  it('the largest safe integers are accepted exactly', () => {
    expect(canonicalJson(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(canonicalJson(Number.MIN_SAFE_INTEGER)).toBe('-9007199254740991');
  });
});

// RFC 8785 section 3.2.2 input and section 3.2.4 output (the worked example).
const RFC_INPUT = String.raw`{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`;
const RFC_OUTPUT = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;

describe('RFC 8785 sections 3.2.2 to 3.2.4 (worked example)', () => {
  it('the serialiser canonicalJson delegates to produces the RFC output exactly', () => {
    expect(canonicalize(JSON.parse(RFC_INPUT))).toBe(RFC_OUTPUT);
  });

  it('canonicalJson produces the RFC output exactly, and canonicalBytes is its UTF-8', () => {
    expect(canonicalJson(JSON.parse(RFC_INPUT))).toBe(RFC_OUTPUT);
    expect(canonicalBytes(JSON.parse(RFC_INPUT))).toEqual(new TextEncoder().encode(RFC_OUTPUT));
  });

  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['333333333.33333329', '333333333.3333333'],
    ['4.50', '4.5'],
    ['2e-3', '0.002'],
    ['0.000000000000000000000000001', '1e-27'],
    ['1E-7', '1e-7'],
    ['100', '100'],
    ['1.0', '1'],
  ])('number %s serialises as %s', (input, output) => {
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  it.each([
    ['1e21', '1e+21'],
    ['1E30', '1e+30'],
    ['9007199254740993', '9007199254740992'],
  ])('number %s (a double beyond 2^53) serialises as %s', (input, output) => {
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  it('strings are escaped as RFC 8785 section 3.2.2.2 requires', () => {
    expect(canonicalJson('\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/')).toBe(String.raw`"€$\u000f\nA'B\"\\\\\"/"`);
    expect(canonicalJson('\b\f\n\r\t\u0000\u001f\u007f\u0080\u2028')).toBe('"\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\u0080\u2028"');
  });
});

describe('RFC 8785 section 3.2.3 (property sorting by UTF-16 code units)', () => {
  const input = String.raw`{
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  }`;
  const order = [
    'Carriage Return',
    'One',
    'Control',
    'Latin Small Letter O With Diaeresis',
    'Euro Sign',
    'Emoji: Grinning Face',
    'Hebrew Letter Dalet With Dagesh',
  ];

  it('sorts the members to the order given in the RFC', () => {
    const out = canonicalJson(JSON.parse(input));
    expect([...out.matchAll(/":"([^"]*)"/g)].map((m) => m[1])).toEqual(order);
    expect(out).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts by UTF-16 code units, not code points (U+1F600 before U+FFFF)', () => {
    expect(canonicalJson({ '\uffff': 1, '\ud83d\ude00': 2 })).toBe('{"\ud83d\ude00":2,"\uffff":1}');
    expect(canonicalJson({ b: 1, a: 2, aa: 3, '': 4, B: 5 })).toBe('{"":4,"B":5,"a":2,"aa":3,"b":1}');
    expect(canonicalJson({ '10': 1, '9': 2, '1': 3 })).toBe('{"1":3,"10":1,"9":2}');
  });
});

class Referral {
  id = 'r1';
}

describe('refusals: input that is not I-JSON throws CanonicalizationError', () => {
  const refused: Array<[string, unknown]> = [
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['NaN nested in an array', { a: [1, Number.NaN] }],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate inside text', 'abc\udc00def'],
    ['a reversed surrogate pair', '\ude00\ud83d'],
    ['a lone surrogate in a key', { '\ud800': 1 }],
    ['a lone surrogate nested in an array', ['ok', ['\udfff']]],
    ['a Date', new Date(0)],
    ['a Date nested in an object', { at: new Date(0) }],
    ['a class instance', new Referral()],
    ['a Map', new Map([['a', 1]])],
    ['a Uint8Array', new Uint8Array([1, 2])],
    ['a bigint', 1n],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['undefined', undefined],
  ];

  it.each(refused)('%s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalizationError);
    expect(() => canonicalBytes(value)).toThrow(CanonicalizationError);
  });

  it('the error is a CanonicalizationError by class and by name', () => {
    try {
      canonicalJson({ n: Number.NaN });
      expect.unreachable('canonicalJson accepted NaN');
    } catch (error) {
      expect(error).toBeInstanceOf(CanonicalizationError);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('CanonicalizationError');
    }
  });

  it('well-formed surrogate pairs, null-prototype objects and undefined members are accepted', () => {
    expect(canonicalJson('\ud83d\ude00')).toBe('"\ud83d\ude00"');
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = true;
    expect(canonicalJson(bare)).toBe('{"a":true,"b":1}');
    expect(canonicalJson({ a: 1, skip: undefined })).toBe('{"a":1}');
  });
});

// JSON values that Corridor accepts: finite numbers, well-formed strings, plain objects and arrays.
const jsonLeaf = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
);
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonLeaf,
    fc.array(tie('json'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('json'), { maxKeys: 6 }),
  ),
}));

/** The same value with every object's members inserted in a different (shuffled) order. */
function reorder(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, rand));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, reorder(v, rand)] as const);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries);
  }
  return value;
}

describe('properties', () => {
  it('the insertion order of members does not change the output', () => {
    expect(canonicalJson({ b: { y: 1, x: [{ d: 1, c: 2 }] }, a: null })).toBe(canonicalJson({ a: null, b: { x: [{ c: 2, d: 1 }], y: 1 } }));
    fc.assert(
      fc.property(json, fc.integer(), (value, seed) => {
        let state = seed >>> 0 || 1;
        const rand = () => {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
          return state / 2 ** 32;
        };
        expect(canonicalJson(reorder(value, rand))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('different values give different output', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
  });

  it('canonicalBytes is the UTF-8 encoding of canonicalJson', () => {
    expect(toHex(canonicalBytes({ a: '\ud83d\ude00', '\u20ac': 1 }))).toBe(
      // {"a":"😀","€":1}
      '7b2261223a22f09f9880222c22e282ac223a317d',
    );
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        const bytes = canonicalBytes(value);
        expect(toHex(bytes)).toBe(toHex(encoder.encode(text)));
        expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('the output is a fixed point and parses back to the same canonical form', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isCanonicalText: checking received bytes without serialising them again', () => {
  const cases: [string, unknown][] = [
    ['worked example', { numbers: [333333333.3333333, 1e30, 4.5, 0.002, 1e-27], string: '€$\u000f\nA\'B"\\\\"/', literals: [null, true, false] }],
    ['nested and Unicode keys', { b: { z: 1, a: [{ y: 'é', x: '😀' }] }, a: '', é: 1, '€': 2 }],
    ['integer-like keys (JavaScript orders them first)', { '10': 1, '9': 2, a: { '2': 1, '1': 2 } }],
  ];
  it.each(cases)('the canonical text of %s passes', (_label, value) => {
    const text = canonicalJson(value);
    expect(isCanonicalText(text, JSON.parse(text))).toBe(true);
  });

  it.each([
    ['whitespace', '{"a": 1}'],
    ['unsorted keys', '{"b":1,"a":2}'],
    ['a duplicate key', '{"a":1,"a":1}'],
    ['a number not in ECMAScript form', '{"a":1.0}'],
    ['an escape JSON.stringify would not write', '{"a":"\\u0041"}'],
    ['a lone surrogate', '{"a":"\\ud800"}'],
    ['a lone surrogate after an escaped backslash', '{"a":"\\\\\\udc00"}'],
  ])('refuses %s', (_label, text) => {
    expect(isCanonicalText(text, JSON.parse(text))).toBe(false);
  });

  it('agrees with canonicalJson on random JSON (fast path and fallback alike)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        let text: string;
        try {
          text = canonicalJson(value);
        } catch {
          return;
        }
        expect(isCanonicalText(text, JSON.parse(text))).toBe(true);
        const plain = JSON.stringify(value);
        if (plain !== undefined) expect(isCanonicalText(plain, JSON.parse(plain))).toBe(plain === text);
      }),
      { numRuns: 500 },
    );
  });
});
