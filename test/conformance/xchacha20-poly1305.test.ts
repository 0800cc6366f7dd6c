import { describe, expect, it } from 'vitest';
import { aeadDecrypt, aeadEncrypt } from '../../protocol/crypto/sodium.js';
import { type WycheproofTest, allTests, concatBytes, hex, loadWycheproof, toHex } from '../helpers/vectors.js';

/**
 * XChaCha20-Poly1305 (IETF) conformance of protocol/crypto/sodium.ts aeadEncrypt/aeadDecrypt:
 * every Wycheproof vector, and draft-irtf-cfrg-xchacha-03 section A.3.1.
 */

interface AeadTest extends WycheproofTest {
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
}
interface AeadGroup {
  ivSize: number;
  keySize: number;
  tagSize: number;
  tests: AeadTest[];
}

function attempt<T>(fn: () => T): { value: T } | { threw: unknown } {
  try {
    return { value: fn() };
  } catch (error) {
    return { threw: error };
  }
}

describe('draft-irtf-cfrg-xchacha-03 section A.3.1 (AEAD_XChaCha20_Poly1305)', () => {
  const plaintext = new TextEncoder().encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const aad = hex('50515253c0c1c2c3c4c5c6c7');
  const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const iv = hex('404142434445464748494a4b4c4d4e4f5051525354555657');
  const ciphertext =
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39' +
    'ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
    '21f9664c97637da9768812f615c68b13b52e';
  const tag = 'c0875924c1c7987947deafd8780acf49';

  it('encrypts to the expected ciphertext and tag', () => {
    const sealed = aeadEncrypt(plaintext, aad, iv, key);
    expect(sealed && toHex(sealed)).toBe(ciphertext + tag);
  });

  it('decrypts back to the plaintext', () => {
    const opened = aeadDecrypt(hex(ciphertext + tag), aad, iv, key);
    expect(opened && Buffer.from(opened).toString('utf8')).toBe(Buffer.from(plaintext).toString('utf8'));
  });

  it('refuses a changed aad, a changed tag, and a changed ciphertext', () => {
    expect(aeadDecrypt(hex(ciphertext + tag), hex('50515253c0c1c2c3c4c5c6c8'), iv, key)).toBeNull();
    expect(aeadDecrypt(hex(ciphertext + 'c0875924c1c7987947deafd8780acf48'), aad, iv, key)).toBeNull();
    expect(aeadDecrypt(hex('bc' + ciphertext.slice(2) + tag), aad, iv, key)).toBeNull();
    expect(aeadDecrypt(hex(ciphertext + tag), null, iv, key)).toBeNull();
  });
});

describe('Wycheproof xchacha20_poly1305_test.json (every vector)', () => {
  const file = loadWycheproof<AeadGroup>('xchacha20_poly1305_test.json');
  const vectors = allTests(file);

  it('holds numberOfTests vectors, valid and invalid, some with a wrong nonce size', () => {
    expect(file.algorithm).toBe('XCHACHA20-POLY1305');
    expect(vectors.length).toBe(file.numberOfTests);
    expect(new Set(vectors.map(({ test }) => test.result))).toEqual(new Set(['valid', 'invalid']));
    expect(vectors.some(({ group }) => group.ivSize !== 192)).toBe(true);
  });

  it('aeadEncrypt/aeadDecrypt judge every vector as the file says', () => {
    const mismatches: string[] = [];
    let judged = 0;
    for (const { group, test } of vectors) {
      judged++;
      const label = `tcId ${test.tcId} (${test.result}, ${test.flags.join('+')})`;
      const key = hex(test.key);
      const iv = hex(test.iv);
      const aad = hex(test.aad);
      const msg = hex(test.msg);
      const sealed = concatBytes(hex(test.ct), hex(test.tag));
      const sizesRight = iv.length === 24 && key.length === 32;
      if (sizesRight !== (group.ivSize === 192 && group.keySize === 256)) mismatches.push(`${label}: group sizes disagree with the vector`);

      const enc = attempt(() => aeadEncrypt(msg, aad, iv, key));
      const dec = attempt(() => aeadDecrypt(sealed, aad, iv, key));
      if ('threw' in enc) mismatches.push(`${label}: aeadEncrypt threw ${String(enc.threw)}`);
      if ('threw' in dec) mismatches.push(`${label}: aeadDecrypt threw ${String(dec.threw)}`);
      if (!('value' in enc) || !('value' in dec)) continue;

      if (test.result === 'valid') {
        if (enc.value === null) mismatches.push(`${label}: aeadEncrypt refused a valid vector`);
        else if (toHex(enc.value) !== test.ct + test.tag) mismatches.push(`${label}: aeadEncrypt gave ${toHex(enc.value)}`);
        if (dec.value === null) mismatches.push(`${label}: aeadDecrypt refused a valid vector`);
        else if (toHex(dec.value) !== test.msg) mismatches.push(`${label}: aeadDecrypt gave ${toHex(dec.value)}`);
      } else {
        if (dec.value !== null) mismatches.push(`${label}: aeadDecrypt accepted an invalid vector (${toHex(dec.value)})`);
        if (!sizesRight) {
          if (enc.value !== null) mismatches.push(`${label}: aeadEncrypt accepted iv ${iv.length} / key ${key.length} bytes`);
        } else if (enc.value !== null && toHex(enc.value) === test.ct + test.tag) {
          mismatches.push(`${label}: aeadEncrypt produced the invalid ciphertext||tag`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(judged).toBe(file.numberOfTests);
  });
});
