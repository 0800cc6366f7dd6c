import { createHash } from 'node:crypto';
import * as util from 'node:util';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../protocol/crypto/canonical.js';
import { PrekeySecret, SigningKey, fingerprint } from '../../protocol/crypto/keys.js';
import { toHex } from '../helpers/vectors.js';

/**
 * Private keys never appear in anything a log line could contain, and fingerprints have the
 * documented shape. The secret is known through the deliberate exports (exportSeed /
 * exportPrivateKey), then searched for in every rendering of the key object.
 */

/** Every spelling of the secret (or of an 8-byte window of it) a rendering could contain. */
function leakNeedles(secret: Uint8Array): string[] {
  const buf = Buffer.from(secret);
  const needles = new Set<string>([
    buf.toString('base64url'),
    buf.toString('base64'),
    buf.toString('base64').replace(/=+$/, ''),
    buf.toString('hex'),
    buf.toString('hex').toUpperCase(),
  ]);
  for (let i = 0; i + 8 <= secret.length; i++) {
    const window = buf.subarray(i, i + 8).toString('hex');
    needles.add(window);
    needles.add(window.toUpperCase());
  }
  // 3-byte aligned windows encode to aligned substrings of the full base64
  for (let i = 0; i + 12 <= secret.length; i += 3) {
    needles.add(buf.subarray(i, i + 12).toString('base64'));
    needles.add(buf.subarray(i, i + 12).toString('base64url'));
  }
  return [...needles];
}

/** Does `text` contain the secret in any encoding, or as a run of 8 of its bytes written in decimal? */
function leaks(text: string, secret: Uint8Array): string | null {
  for (const needle of leakNeedles(secret)) if (text.includes(needle)) return `contains ${needle}`;
  // decimal renderings: util.inspect of a Uint8Array or Array.from(...).join (consecutive numbers),
  // and JSON of a typed array, {"0":11,"1":48,...} (every other number)
  const numbers = (text.match(/\d+/g) ?? []).map(Number);
  const bytes = [...secret];
  for (const stride of [1, 2]) {
    for (let i = 0; i + 8 <= bytes.length; i++) {
      const run = bytes.slice(i, i + 8);
      for (let j = 0; j + 8 * stride <= numbers.length; j++) {
        if (run.every((b, k) => numbers[j + k * stride] === b)) return `contains bytes ${i}..${i + 7} in decimal`;
      }
    }
  }
  return null;
}

function renderings(key: object): Array<[string, () => string]> {
  return [
    ['JSON.stringify(key)', () => JSON.stringify(key)],
    ['JSON.stringify({ nested: { key } })', () => JSON.stringify({ nested: { key } })],
    ['String(key)', () => String(key)],
    ['template string', () => `${key as { toString(): string }}`],
    ["util.inspect(key, { showHidden: true, depth: 10 })", () => util.inspect(key, { showHidden: true, depth: 10 })],
    ['util.inspect(key, { customInspect: false, showHidden: true, depth: Infinity })', () =>
      util.inspect(key, { customInspect: false, showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true })],
    ['util.inspect({ nested: { key } })', () => util.inspect({ nested: { key } })],
    ['util.inspect({ nested: { key } }, showHidden, depth Infinity)', () =>
      util.inspect({ nested: { key } }, { showHidden: true, depth: Number.POSITIVE_INFINITY })],
    ["util.format('%o %O %s %j', ...)", () => util.format('%o %O %s %j', key, key, key, key)],
    ['util.inspect(new Error("x", { cause: { key } }))', () => util.inspect(new Error('x', { cause: { key } }))],
    ['util.inspect(error with the key as a property)', () => util.inspect(Object.assign(new Error('x'), { key }), { showHidden: true, depth: 10 })],
    ['Object.entries / spread', () => JSON.stringify([Object.entries(key), { ...key }])],
    ['util.inspect(structuredClone(key))', () => util.inspect(structuredClone(key), { showHidden: true, depth: 10 })],
    ['error thrown while canonicalising an object holding the key', () => {
      try {
        canonicalJson({ referral: 'r1', key });
        return 'no error';
      } catch (error) {
        return [String(error), (error as Error).message, (error as Error).stack ?? '', util.inspect(error, { showHidden: true, depth: 10 })].join('\n');
      }
    }],
    ['error thrown by JSON.stringify of a cyclic object holding the key', () => {
      const cyclic: Record<string, unknown> = { key };
      cyclic.self = cyclic;
      try {
        return JSON.stringify(cyclic);
      } catch (error) {
        return [String(error), util.inspect(error, { showHidden: true, depth: 10 })].join('\n');
      }
    }],
  ];
}

describe('the leak detector itself', () => {
  const secret = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

  it.each([
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['base64', Buffer.from(secret).toString('base64')],
    ['hex', Buffer.from(secret).toString('hex')],
    ['HEX', Buffer.from(secret).toString('hex').toUpperCase()],
    ['util.inspect of the bytes', util.inspect(secret)],
    ['JSON of the bytes', JSON.stringify(secret)],
    ['JSON of an object holding the bytes', JSON.stringify({ seed: secret })],
    ['a part of the hex', `key=${Buffer.from(secret.subarray(5, 14)).toString('hex')}`],
  ])('finds the secret written as %s', (_name, text) => {
    expect(leaks(text, secret)).not.toBeNull();
  });

  it('does not find it in unrelated text', () => {
    expect(leaks(util.inspect({ a: [1, 2, 3], b: 'hello' }), secret)).toBeNull();
  });
});

describe('private keys never appear in logs or errors', () => {
  const cases: Array<[string, () => { key: object; secret: Uint8Array }]> = [
    ['SigningKey.generate("node")', () => {
      const key = SigningKey.generate('node');
      return { key, secret: key.exportSeed() };
    }],
    ['SigningKey.generate("org")', () => {
      const key = SigningKey.generate('org');
      return { key, secret: key.exportSeed() };
    }],
    ['PrekeySecret.generate()', () => {
      const key = PrekeySecret.generate();
      return { key, secret: key.exportPrivateKey() };
    }],
  ];

  for (const [name, make] of cases) {
    describe(name, () => {
      const { key, secret } = make();

      it('exports a 32-byte secret that is not all zero', () => {
        expect(secret.length).toBe(32);
        expect(secret.some((b) => b !== 0)).toBe(true);
      });

      for (const [how, render] of renderings(key)) {
        it(`not in ${how}`, () => {
          const text = render();
          expect(typeof text).toBe('string');
          expect(leaks(text, secret), text.slice(0, 500)).toBeNull();
        });
      }
    });
  }

  it('the public parts do appear (the renderings are not simply empty)', () => {
    const key = SigningKey.generate('node');
    expect(String(key)).toContain(key.kid);
    expect(util.inspect({ nested: { key } })).toContain(key.kid);
    expect(JSON.stringify(key)).toContain(Buffer.from(key.publicKey).toString('base64url'));
    const prekey = PrekeySecret.generate();
    expect(JSON.stringify(prekey)).toContain(Buffer.from(prekey.publicKey).toString('base64url'));
  });

  it('exportSeed/exportPrivateKey return copies: changing one does not change the key', () => {
    const key = SigningKey.generate('node');
    const seed = key.exportSeed();
    seed.fill(0);
    expect(key.exportSeed().some((b) => b !== 0)).toBe(true);
    const prekey = PrekeySecret.generate();
    const privateKey = prekey.exportPrivateKey();
    privateKey.fill(0);
    expect(prekey.exportPrivateKey().some((b) => b !== 0)).toBe(true);
  });
});

describe('fingerprints', () => {
  const shape = /^\d{5}( \d{5}){7}$/;

  /** Independent re-derivation: SHA-512("corridor/1 fpr\0" || public key), 8 big-endian 5-byte groups mod 100000. */
  function expectedFingerprint(publicKey: Uint8Array): string {
    const digest = createHash('sha512').update('corridor/1 fpr\0').update(publicKey).digest();
    const groups: string[] = [];
    for (let g = 0; g < 8; g++) groups.push(String(Number(BigInt(`0x${digest.subarray(5 * g, 5 * g + 5).toString('hex')}`) % 100000n)).padStart(5, '0'));
    return groups.join(' ');
  }

  it('is 8 groups of 5 digits, and matches an independent derivation', () => {
    for (let i = 0; i < 50; i++) {
      const key = SigningKey.generate('node');
      expect(key.fingerprint()).toMatch(shape);
      expect(key.fingerprint()).toBe(expectedFingerprint(key.publicKey));
      const prekey = PrekeySecret.generate();
      expect(fingerprint(prekey.publicKey)).toMatch(shape);
      expect(fingerprint(prekey.publicKey)).toBe(expectedFingerprint(prekey.publicKey));
    }
  });

  it('is deterministic: equal for the same key, and for the same seed loaded twice', () => {
    const key = SigningKey.generate('node');
    expect(key.fingerprint()).toBe(key.fingerprint());
    expect(fingerprint(key.publicKey)).toBe(key.fingerprint());
    const again = SigningKey.fromSeed('node', key.exportSeed());
    expect(again.fingerprint()).toBe(key.fingerprint());
    expect(SigningKey.fromSeed('org', key.exportSeed()).fingerprint()).toBe(key.fingerprint());
  });

  it('differs for different keys', () => {
    const prints = new Set<string>();
    const publicKeys = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const key = SigningKey.generate('node');
      publicKeys.add(toHex(key.publicKey));
      prints.add(key.fingerprint());
    }
    expect(publicKeys.size).toBe(200);
    expect(prints.size).toBe(200);
    const a = new Uint8Array(32);
    const b = new Uint8Array(32);
    b[31] = 1;
    expect(fingerprint(a)).not.toBe(fingerprint(b));
  });

  it('does not reveal the secret either', () => {
    const key = SigningKey.generate('node');
    expect(leaks(key.fingerprint(), key.exportSeed())).toBeNull();
  });
});
