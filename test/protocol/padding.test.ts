import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padme } from '../../protocol/index.js';

describe('PADMÉ padding', () => {
  it('matches the values of the PURBs paper', () => {
    expect([0, 1, 2, 9, 100, 1000, 1024, 1025, 65536, 65600, 1_048_900].map(padme)).toEqual([0, 1, 2, 10, 104, 1024, 1024, 1088, 65536, 67584, 1_081_344]);
  });

  it('never shrinks, costs at most 12 %, is monotonic and idempotent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2 ** 30 }), fc.integer({ min: 0, max: 1000 }), (n, d) => {
        const p = padme(n);
        expect(p).toBeGreaterThanOrEqual(n);
        expect(p - n).toBeLessThanOrEqual(Math.ceil(0.12 * n));
        expect(padme(n + d)).toBeGreaterThanOrEqual(p);
        expect(padme(p)).toBe(p);
      }),
    );
  });

  it('leaks few sizes: 1,000 lengths between 100,000 and 101,000 give at most 2 padded sizes', () => {
    const sizes = new Set(Array.from({ length: 1000 }, (_, i) => padme(100_000 + i)));
    expect(sizes.size).toBeLessThanOrEqual(2);
  });

  it('refuses negative and fractional lengths', () => {
    expect(() => padme(-1)).toThrow(RangeError);
    expect(() => padme(1.5)).toThrow(RangeError);
  });
});
