import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryAccumulator, EMPTY_ROOT, MerkleAccumulator, binaryToBytes, bytesToBinary, leafHash, leafHashBinary, nodeHash, nodeHashBinary, sha256Binary } from '../../protocol/index.js';

/**
 * The binary-string form of the RFC 6962 tree that `audit verify` runs on: the same digests as
 * `merkle.ts` (itself checked against the CT known answers) and node:crypto directly.
 */

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const binHex = (s: string) => Buffer.from(s, 'latin1').toString('hex');
const reference = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('sha256Binary', () => {
  it('is SHA-256 of its parts, bytes or binary strings, as one input; also above the scratch buffer (16 KiB)', () => {
    const a = Uint8Array.from([0, 1, 2, 255]);
    const b = new Uint8Array(40_000).map((_, i) => (i * 7) & 0xff);
    expect(binHex(sha256Binary(a))).toBe(reference(a));
    expect(binHex(sha256Binary(a, bytesToBinary(a), a))).toBe(reference(a, a, a));
    expect(binHex(sha256Binary(b))).toBe(reference(b));
    expect(binHex(sha256Binary('\x01', b, a))).toBe(reference(Uint8Array.of(1), b, a));
    expect(binHex(sha256Binary(new Uint8Array(0)))).toBe(hex(EMPTY_ROOT));
    // the same length twice in a row (the scratch views are cached per length), different bytes
    expect(binHex(sha256Binary(Uint8Array.of(9, 9, 9, 9)))).toBe(reference(Uint8Array.of(9, 9, 9, 9)));
  });

  it('binary strings and bytes convert both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(hex(binaryToBytes(bytesToBinary(bytes)))).toBe(hex(bytes));
      }),
    );
  });
});

describe('BinaryAccumulator', () => {
  it('leaf and node hashes equal merkle.ts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes, l, r) => {
        expect(binHex(leafHashBinary(bytes))).toBe(hex(leafHash(bytes)));
        expect(binHex(nodeHashBinary(bytesToBinary(l), bytesToBinary(r)))).toBe(hex(nodeHash(l, r)));
      }),
    );
  });

  it('has the root of MerkleAccumulator after every append, from 0 to 300 leaves', () => {
    const acc = new MerkleAccumulator();
    const bin = new BinaryAccumulator();
    expect(hex(bin.root())).toBe(hex(EMPTY_ROOT));
    for (let i = 0; i < 300; i++) {
      const bytes = new TextEncoder().encode(`{"seq":${i}}`);
      acc.append(leafHash(bytes));
      bin.append(leafHashBinary(bytes));
      expect(bin.size).toBe(acc.size);
      expect(hex(bin.root())).toBe(hex(acc.root()));
    }
  });

  it('refuses a leaf that is not 32 bytes', () => {
    expect(() => new BinaryAccumulator().append('x'.repeat(31))).toThrow(RangeError);
  });
});
