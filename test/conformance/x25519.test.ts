import { describe, expect, it } from 'vitest';
import sodium from 'libsodium-wrappers';
import { randomBytes } from '../../protocol/crypto/native.js';
import { seal, sealOpen, sealWithLibsodium, x25519, x25519KeyPair, x25519PublicKey } from '../../protocol/crypto/sodium.js';
import { type WycheproofTest, allTests, concatBytes, hex, loadWycheproof, toHex } from '../helpers/vectors.js';

/**
 * X25519 conformance of protocol/crypto/sodium.ts: RFC 7748 known answers, every Wycheproof
 * XDH vector, and Corridor's policy that low-order public keys are refused (x25519 → null),
 * including as the ephemeral key of a sealed box.
 */

describe('RFC 7748 section 5.2 (X25519 test vectors)', () => {
  const singles = [
    {
      scalar: 'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
      u: 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
      output: 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
    },
    {
      scalar: '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
      u: 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
      output: '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
    },
  ];

  singles.forEach((v, i) => {
    it(`single vector ${i + 1}`, () => {
      const out = x25519(hex(v.scalar), hex(v.u));
      expect(out).not.toBeNull();
      expect(toHex(out ?? new Uint8Array())).toBe(v.output);
    });
  });

  function iterate(times: number): string {
    let k: Uint8Array = new Uint8Array(32);
    k[0] = 9;
    let u: Uint8Array = Uint8Array.from(k);
    for (let i = 0; i < times; i++) {
      const next = x25519(k, u);
      if (!next) throw new Error(`x25519 refused iteration ${i}`);
      u = k;
      k = next;
    }
    return toHex(k);
  }

  it('iterated: after 1 iteration', () => {
    expect(iterate(1)).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
  });

  it('iterated: after 1,000 iterations', () => {
    expect(iterate(1000)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });
});

describe('RFC 7748 section 6.1 (Diffie-Hellman)', () => {
  const alicePrivate = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const alicePublic = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
  const bobPrivate = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  const bobPublic = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

  it('derives both public keys', () => {
    expect(toHex(x25519PublicKey(alicePrivate))).toBe(alicePublic);
    expect(toHex(x25519PublicKey(bobPrivate))).toBe(bobPublic);
  });

  it('computes the same shared secret both ways', () => {
    const ab = x25519(alicePrivate, hex(bobPublic));
    const ba = x25519(bobPrivate, hex(alicePublic));
    expect(ab && toHex(ab)).toBe(shared);
    expect(ba && toHex(ba)).toBe(shared);
  });
});

interface XdhTest extends WycheproofTest {
  public: string;
  private: string;
  shared: string;
}
interface XdhGroup {
  curve: string;
  tests: XdhTest[];
}

const LOW_ORDER_FLAGS = ['LowOrderPublic', 'ZeroSharedSecret'];
const isLowOrder = (test: XdhTest): boolean => test.flags.some((flag) => LOW_ORDER_FLAGS.includes(flag));

describe('Wycheproof x25519_test.json (every vector)', () => {
  const file = loadWycheproof<XdhGroup>('x25519_test.json');
  const vectors = allTests(file);
  const lowOrder = vectors.filter(({ test }) => isLowOrder(test));

  it('holds numberOfTests vectors, all on curve25519, some of them low-order', () => {
    expect(file.algorithm).toBe('XDH');
    expect(vectors.length).toBe(file.numberOfTests);
    expect(vectors.every(({ group }) => group.curve === 'curve25519')).toBe(true);
    expect(lowOrder.length).toBeGreaterThan(0);
  });

  it('x25519 judges every vector by the file and by Corridor policy', () => {
    const mismatches: string[] = [];
    const rejected: number[] = [];
    const counts = { valid: 0, invalid: 0, acceptable: 0 };
    for (const { test } of vectors) {
      counts[test.result]++;
      let got: Uint8Array | null;
      try {
        got = x25519(hex(test.private), hex(test.public));
      } catch (error) {
        mismatches.push(`tcId ${test.tcId}: threw ${String(error)}`);
        continue;
      }
      if (got === null) rejected.push(test.tcId);
      const label = `tcId ${test.tcId} (${test.result}, ${test.flags.join('+')})`;
      if (test.result === 'valid') {
        if (got === null) mismatches.push(`${label}: rejected, expected ${test.shared}`);
        else if (toHex(got) !== test.shared) mismatches.push(`${label}: got ${toHex(got)}, expected ${test.shared}`);
      } else if (test.result === 'invalid') {
        if (got !== null) mismatches.push(`${label}: accepted an invalid vector (${toHex(got)})`);
      } else if (isLowOrder(test)) {
        if (got !== null) mismatches.push(`${label}: low-order public key accepted (${toHex(got)}); policy is to refuse`);
      } else if (got !== null && toHex(got) !== test.shared) {
        mismatches.push(`${label}: got ${toHex(got)}, expected ${test.shared} or a rejection`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(counts.valid + counts.invalid + counts.acceptable).toBe(file.numberOfTests);
    // exactly the low-order vectors are refused: no other vector (valid or acceptable) is
    expect(rejected).toEqual(lowOrder.map(({ test }) => test.tcId));
  });

  it('every low-order vector expects the all-zero shared secret (premise of the policy)', () => {
    const nonZero = lowOrder.filter(({ test }) => !/^(00)+$/.test(test.shared)).map(({ test }) => test.tcId);
    expect(nonZero).toEqual([]);
  });
});

describe('sealed boxes (crypto_box_seal) and low-order ephemeral keys', () => {
  const file = loadWycheproof<XdhGroup>('x25519_test.json');
  const lowOrderPoints = [
    ...new Set(
      allTests(file)
        .filter(({ test }) => test.flags.includes('LowOrderPublic'))
        .map(({ test }) => test.public),
    ),
  ];
  const recipient = x25519KeyPair();
  const message = new TextEncoder().encode('referral: please call back before Friday');

  it('our sealed box is libsodium\'s crypto_box_seal: each opens the other\'s, with the same 48-byte overhead', () => {
    for (const size of [0, 1, 100, 5000]) {
      const m = randomBytes(size);
      const ours = seal(m, recipient.publicKey);
      expect(ours.length).toBe(size + 48);
      expect(sodium.crypto_box_seal_open(ours, recipient.publicKey, recipient.privateKey)).toEqual(m);
      expect(sealOpen(sealWithLibsodium(m, recipient.publicKey), recipient.publicKey, recipient.privateKey)).toEqual(m);
      expect(seal(m, recipient.publicKey)).not.toEqual(ours); // a fresh ephemeral key each time
    }
  });

  it('a sealed box to a key pair opens to the message', () => {
    const box = seal(message, recipient.publicKey);
    expect(box.length).toBe(message.length + 48);
    const opened = sealOpen(box, recipient.publicKey, recipient.privateKey);
    expect(opened && Buffer.from(opened).toString('utf8')).toBe('referral: please call back before Friday');
  });

  it('a sealed box does not open with another key pair', () => {
    const other = x25519KeyPair();
    expect(sealOpen(seal(message, recipient.publicKey), other.publicKey, other.privateKey)).toBeNull();
  });

  it('the file has low-order points to try', () => {
    expect(lowOrderPoints.length).toBeGreaterThan(0);
  });

  it('a sealed box whose ephemeral key is replaced by each low-order point returns null without throwing', () => {
    const box = seal(message, recipient.publicKey);
    // control: reassembling the box with its own ephemeral key still opens
    expect(sealOpen(concatBytes(box.subarray(0, 32), box.subarray(32)), recipient.publicKey, recipient.privateKey)).not.toBeNull();
    const problems: string[] = [];
    for (const point of lowOrderPoints) {
      const forged = concatBytes(hex(point), box.subarray(32));
      let outcome: 'null' | 'opened' | 'threw';
      try {
        outcome = sealOpen(forged, recipient.publicKey, recipient.privateKey) === null ? 'null' : 'opened';
      } catch {
        outcome = 'threw';
      }
      if (outcome !== 'null') problems.push(`${point}: ${outcome}`);
    }
    expect(problems).toEqual([]);
  });

  it('a sealed box whose ephemeral key is replaced by a random 32-byte value returns null', () => {
    const box = seal(message, recipient.publicKey);
    const forged = concatBytes(randomBytes(32), box.subarray(32));
    expect(sealOpen(forged, recipient.publicKey, recipient.privateKey)).toBeNull();
  });
});
