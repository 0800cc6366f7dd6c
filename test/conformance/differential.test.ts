import * as ed from '@noble/ed25519';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SigningKey } from '../../protocol/crypto/keys.js';
import { sha512 } from '../../protocol/crypto/native.js';
import { signBytes, signedBytes, verifyBytes } from '../../protocol/crypto/signing.js';
import { toHex } from '../helpers/vectors.js';

/**
 * Differential test: Corridor's Ed25519 (node:crypto through SigningKey / signBytes / verifyBytes,
 * domain 'message') against @noble/ed25519, an independent pure-JS implementation, in strict
 * RFC 8032 mode ({ zip215: false }). Random 32-byte seeds and random messages of 0..4096 bytes.
 *
 * A failing property prints fast-check's seed and path; rerun it with those to reproduce.
 */

// noble's synchronous API (much faster than verifyAsync) needs a SHA-512 hook.
ed.hashes.sha512 = (message) => sha512(message) as ReturnType<NonNullable<typeof ed.hashes.sha512>>;

// Sized to keep this file under ~20 s on a slow 2-core machine: there noble verify is ~1.8 ms,
// SigningKey.fromSeed ~0.7 ms and verifyBytes with a new key ~0.4 ms; (a) alone is ~6.5 s.
const RUNS = 2000;
const TAMPER_RUNS = 1000;
const DOMAIN_RUNS = 300;

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });

/**
 * A message of `min`..4096 bytes, uniform in length. The bytes come from a small xorshift PRNG
 * seeded by fast-check: generating 4 KiB byte by byte through fc.uint8Array costs more than
 * the signatures themselves. Shrinking still works on the length and the seed.
 */
function messageOf(min: number): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.integer({ min, max: 4096 }), fc.integer({ min: 1, max: 0x7fffffff })).map(([length, seed]) => {
    const out = new Uint8Array(length);
    let x = seed;
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  });
}
const messageArb = messageOf(0);

function nobleVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false; // an invalid point encoding throws in noble: that is a rejection
  }
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const index = bit >>> 3;
  out[index] = (out[index] ?? 0) ^ (1 << (bit & 7));
  return out;
}

describe('Ed25519: Corridor (node:crypto) vs @noble/ed25519 { zip215: false }', () => {
  it('(a) signed by ours verifies in noble and in ours; both derive the same public key', () => {
    fc.assert(
      fc.property(seedArb, messageArb, (seed, message) => {
        const key = SigningKey.fromSeed('node', seed);
        expect(toHex(ed.getPublicKey(seed))).toBe(toHex(key.publicKey));
        const signature = signBytes(key, 'message', message);
        expect(signature.length).toBe(64);
        expect(ed.verify(signature, signedBytes('message', message), key.publicKey, { zip215: false })).toBe(true);
        expect(verifyBytes(key.publicKey, 'message', message, signature)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('(b) signed by noble over signedBytes(message) verifies with our verifyBytes', () => {
    fc.assert(
      fc.property(seedArb, messageArb, (seed, message) => {
        const publicKey = ed.getPublicKey(seed);
        const signature = ed.sign(signedBytes('message', message), seed);
        expect(verifyBytes(publicKey, 'message', message, signature)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('(c) both produce the identical signature, byte for byte (Ed25519 is deterministic)', () => {
    fc.assert(
      fc.property(seedArb, messageArb, (seed, message) => {
        const ours = signBytes(SigningKey.fromSeed('node', seed), 'message', message);
        const theirs = ed.sign(signedBytes('message', message), seed);
        expect(toHex(ours)).toBe(toHex(theirs));
      }),
      { numRuns: RUNS },
    );
  });

  it('(d) one flipped bit of the message, the signature or the public key is rejected by both', () => {
    const targets = ['message', 'signature', 'publicKey'] as const;
    const seen = { message: 0, signature: 0, publicKey: 0 };
    fc.assert(
      fc.property(
        seedArb,
        messageOf(1),
        fc.constantFrom(...targets),
        fc.nat(),
        (seed, message, target, bitSeed) => {
          seen[target]++;
          const key = SigningKey.fromSeed('node', seed);
          let signature: Uint8Array = signBytes(key, 'message', message);
          let publicKey: Uint8Array = key.publicKey;
          let signed: Uint8Array = message;
          if (target === 'message') signed = flipBit(message, bitSeed % (message.length * 8));
          else if (target === 'signature') signature = flipBit(signature, bitSeed % 512);
          else publicKey = flipBit(publicKey, bitSeed % 256);
          expect(verifyBytes(publicKey, 'message', signed, signature)).toBe(false);
          expect(nobleVerify(signature, signedBytes('message', signed), publicKey)).toBe(false);
        },
      ),
      { numRuns: TAMPER_RUNS },
    );
    // every kind of tampering was actually exercised
    expect(Math.min(seen.message, seen.signature, seen.publicKey)).toBeGreaterThan(TAMPER_RUNS / 10);
  });

  it("(e) a signature under domain 'message' does not verify under domain 'receipt' (ours and noble)", () => {
    fc.assert(
      fc.property(seedArb, messageArb, (seed, message) => {
        const key = SigningKey.fromSeed('node', seed);
        const signature = signBytes(key, 'message', message);
        expect(verifyBytes(key.publicKey, 'message', message, signature)).toBe(true);
        expect(verifyBytes(key.publicKey, 'receipt', message, signature)).toBe(false);
        expect(nobleVerify(signature, signedBytes('receipt', message), key.publicKey)).toBe(false);
      }),
      { numRuns: DOMAIN_RUNS },
    );
  });
});
