import * as ed from '@noble/ed25519';
import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SigningKey } from '../../protocol/crypto/keys.js';
import { ed25519PrivateFromSeed, ed25519PublicKey, ed25519Sign, ed25519Verify, sha512 } from '../../protocol/crypto/native.js';
import { type WycheproofTest, allTests, hex, loadWycheproof, toHex } from '../helpers/vectors.js';

/**
 * Ed25519 conformance: RFC 8032 section 7.1 known answers, and every Wycheproof EdDSA
 * verification vector judged by three independent implementations (node:crypto/OpenSSL as
 * used by protocol/crypto/native.ts, @noble/ed25519 in strict RFC 8032 mode, libsodium).
 */

// noble's synchronous API needs a SHA-512; node:crypto's is independent of noble's code.
ed.hashes.sha512 = (message) => sha512(message) as ReturnType<NonNullable<typeof ed.hashes.sha512>>;

beforeAll(async () => {
  await sodium.ready;
});

interface Rfc8032Vector {
  name: string;
  secretKey: string;
  publicKey: string;
  message: string;
  signature: string;
}

// RFC 8032 section 7.1, "Test Vectors for Ed25519", TEST 1 to TEST 3.
const RFC8032: Rfc8032Vector[] = [
  {
    name: 'TEST 1 (empty message)',
    secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2 (one byte 0x72)',
    secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3 (two bytes af82)',
    secretKey: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

function nobleVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false; // noble throws on malformed encodings: that is a rejection
  }
}

function sodiumVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false; // libsodium-wrappers throws on wrong lengths: that is a rejection
  }
}

describe('RFC 8032 section 7.1 (Ed25519 known answers)', () => {
  for (const v of RFC8032) {
    describe(v.name, () => {
      const seed = hex(v.secretKey);
      const publicKey = hex(v.publicKey);
      const message = hex(v.message);
      const signature = hex(v.signature);
      // a different message: every verifier must say no, so a verifier that says yes to anything fails here
      const otherMessage = Uint8Array.from([...message, 0x00]);

      it('node:crypto derives the public key from the seed', () => {
        expect(toHex(ed25519PublicKey(ed25519PrivateFromSeed(seed)))).toBe(v.publicKey);
      });

      it('node:crypto signs byte-exactly', () => {
        expect(toHex(ed25519Sign(ed25519PrivateFromSeed(seed), message))).toBe(v.signature);
      });

      it('SigningKey.fromSeed derives the public key and signs byte-exactly', () => {
        const key = SigningKey.fromSeed('node', seed);
        expect(toHex(key.publicKey)).toBe(v.publicKey);
        expect(toHex(key.sign(message))).toBe(v.signature);
      });

      it('node:crypto ed25519Verify accepts it, and rejects another message', () => {
        expect(ed25519Verify(publicKey, message, signature)).toBe(true);
        expect(ed25519Verify(publicKey, otherMessage, signature)).toBe(false);
      });

      it('@noble/ed25519 { zip215: false } accepts it (sync and async), and rejects another message', async () => {
        expect(ed.verify(signature, message, publicKey, { zip215: false })).toBe(true);
        expect(await ed.verifyAsync(signature, message, publicKey, { zip215: false })).toBe(true);
        expect(toHex(ed.getPublicKey(seed))).toBe(v.publicKey);
        expect(toHex(ed.sign(message, seed))).toBe(v.signature);
        expect(nobleVerify(signature, otherMessage, publicKey)).toBe(false);
      });

      it('libsodium accepts it, and rejects another message', () => {
        expect(toHex(sodium.crypto_sign_seed_keypair(seed).publicKey)).toBe(v.publicKey);
        expect(sodiumVerify(signature, message, publicKey)).toBe(true);
        expect(sodiumVerify(signature, otherMessage, publicKey)).toBe(false);
      });
    });
  }
});

interface EddsaTest extends WycheproofTest {
  msg: string;
  sig: string;
}
interface EddsaGroup {
  type: string;
  publicKey: { pk: string };
  tests: EddsaTest[];
}

describe('Wycheproof ed25519_test.json (every vector)', () => {
  const file = loadWycheproof<EddsaGroup>('ed25519_test.json');
  const vectors = allTests(file);

  it('holds numberOfTests vectors, only valid/invalid, of both kinds', () => {
    expect(file.algorithm).toBe('EDDSA');
    expect(vectors.length).toBe(file.numberOfTests);
    expect(new Set(vectors.map(({ test }) => test.result))).toEqual(new Set(['valid', 'invalid']));
  });

  const implementations: Array<[string, (sig: Uint8Array, msg: Uint8Array, pk: Uint8Array) => boolean]> = [
    ['node:crypto ed25519Verify (protocol/crypto/native.ts)', (sig, msg, pk) => ed25519Verify(pk, msg, sig)],
    ['@noble/ed25519 verify { zip215: false }', nobleVerify],
    ['libsodium crypto_sign_verify_detached', sodiumVerify],
  ];

  for (const [name, verify] of implementations) {
    it(`${name} judges every vector as the file says`, () => {
      const mismatches: string[] = [];
      let judged = 0;
      for (const { group, test } of vectors) {
        const expected = test.result === 'valid';
        let got: boolean;
        try {
          got = verify(hex(test.sig), hex(test.msg), hex(group.publicKey.pk));
        } catch (error) {
          mismatches.push(`tcId ${test.tcId}: threw ${String(error)}`);
          continue;
        }
        judged++;
        if (got !== expected) {
          mismatches.push(`tcId ${test.tcId} (${test.result}, ${test.flags.join('+')}, ${test.comment}): ${got ? 'accepted' : 'rejected'}`);
        }
      }
      expect(mismatches, `${name} disagrees with Wycheproof`).toEqual([]);
      expect(judged).toBe(file.numberOfTests);
    });
  }
});
