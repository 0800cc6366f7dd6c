import { beforeAll, describe, expect, it } from 'vitest';
import {
  ProtocolError,
  formatKey,
  formatKeyRing,
  keyRing,
  keySlot,
  newDatabaseKey,
  openSealedFile,
  parseKey,
  parseKeyRing,
  passphraseProblem,
  passphraseSlot,
  ready,
  sealFile,
  unlockWithKey,
  unlockWithPassphrase,
  withNewPassphrase,
  caseKeyWrappingKeyOf,
  isSealedCaseValue,
  newCaseKey,
  openCaseValue,
  sealCaseValue,
  unwrapCaseKey,
  withCaseKeyWrappingKey,
  wrapCaseKey,
} from '../../protocol/index.js';

// a cheap scrypt cost: the ring stores its parameters, production uses N = 2^18
const CHEAP = { logN: 10, r: 8, p: 1 };
const code = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (error) {
    return error instanceof ProtocolError ? { code: error.code, issues: error.issues } : String(error);
  }
  return 'no error';
};

beforeAll(ready);

describe('the key ring (ADR 0014)', () => {
  it('unlocks with the passphrase, the recovery key and a key file, each to the same database key', async () => {
    const databaseKey = newDatabaseKey();
    const recovery = newDatabaseKey();
    const file = newDatabaseKey();
    const ring = parseKeyRing(formatKeyRing(keyRing([await passphraseSlot(databaseKey, 'Zdravo svete 2026', CHEAP), keySlot(databaseKey, 'recovery', recovery), keySlot(databaseKey, 'key-file', file)])));
    expect(await unlockWithPassphrase(ring, 'Zdravo svete 2026')).toEqual(databaseKey);
    // the same passphrase typed in another Unicode normal form
    expect(await unlockWithPassphrase(keyRing([await passphraseSlot(databaseKey, 'Lefö-Ibf Wien 1', CHEAP)]), 'Lefo\u0308-Ibf Wien 1')).toEqual(databaseKey);
    expect(unlockWithKey(ring, parseKey(formatKey(recovery))!)).toEqual(databaseKey);
    expect(unlockWithKey(ring, file)).toEqual(databaseKey);
    // the ring never holds the key in the clear
    expect(formatKeyRing(ring)).not.toContain(Buffer.from(databaseKey).toString('base64url'));
    expect(formatKeyRing(ring)).not.toContain(Buffer.from(databaseKey).toString('hex'));
  });

  it('a wrong passphrase or key is KeyRejected, naming the field and never the value', async () => {
    const databaseKey = newDatabaseKey();
    const ring = keyRing([await passphraseSlot(databaseKey, 'the right passphrase', CHEAP), keySlot(databaseKey, 'recovery', newDatabaseKey())]);
    const wrong = await code(unlockWithPassphrase(ring, 'the wrong passphrase'));
    expect(wrong).toEqual({ code: 'KeyRejected', issues: [{ path: 'passphrase', problem: 'does_not_unlock' }] });
    expect(JSON.stringify(wrong)).not.toContain('wrong passphrase');
    expect(await code(() => unlockWithKey(ring, newDatabaseKey()))).toMatchObject({ code: 'KeyRejected' });
    expect(await code(() => unlockWithKey(ring, new Uint8Array(5)))).toMatchObject({ code: 'KeyRejected' });
    // a ring without a passphrase slot refuses every passphrase
    expect(await code(unlockWithPassphrase(keyRing([keySlot(databaseKey, 'key-file', newDatabaseKey())]), 'the right passphrase'))).toMatchObject({ code: 'KeyRejected' });
  });

  it('a slot moved to another kind does not open (the kind is authenticated)', async () => {
    const databaseKey = newDatabaseKey();
    const key = newDatabaseKey();
    const slot = keySlot(databaseKey, 'recovery', key);
    expect(await code(() => unlockWithKey(keyRing([{ ...slot, kind: 'key-file' }]), key))).toMatchObject({ code: 'KeyRejected' });
  });

  it('a missing, truncated or altered ring file is KeyRingDamaged with the path, never a crash', async () => {
    const text = formatKeyRing(keyRing([keySlot(newDatabaseKey(), 'recovery', newDatabaseKey())]));
    for (const bad of ['', text.slice(0, 40), '{"format":"corridor-key-ring/2"}', text.replace('"chacha20"', '"aes256cbc"'), text.replace('"recovery"', '"secret"'), 'null']) {
      expect(await code(() => parseKeyRing(bad))).toMatchObject({ code: 'KeyRingDamaged' });
    }
    expect(await code(() => parseKeyRing(text.replace('"slots": [', '"extra": 1, "slots": [')))).toMatchObject({ code: 'KeyRingDamaged', issues: [{ path: 'db-key.json', problem: 'invalid' }] });
  });

  it('a new passphrase rewraps the same database key; the old passphrase stops working, the recovery key keeps working', async () => {
    const databaseKey = newDatabaseKey();
    const recovery = newDatabaseKey();
    const ring = keyRing([await passphraseSlot(databaseKey, 'old passphrase 1', CHEAP), keySlot(databaseKey, 'recovery', recovery)]);
    const next = await withNewPassphrase(ring, databaseKey, 'new passphrase 2', CHEAP);
    expect(next.slots.filter((s) => s.kind === 'passphrase')).toHaveLength(1);
    expect(await unlockWithPassphrase(next, 'new passphrase 2')).toEqual(databaseKey);
    expect(await code(unlockWithPassphrase(next, 'old passphrase 1'))).toMatchObject({ code: 'KeyRejected' });
    expect(unlockWithKey(next, recovery)).toEqual(databaseKey);
  });

  it('the case-key wrapping key: wrapped under the database key, kept by a new passphrase, refused when it does not open', async () => {
    const databaseKey = newDatabaseKey();
    const bare = keyRing([await passphraseSlot(databaseKey, 'old passphrase 1', CHEAP)]);
    expect(caseKeyWrappingKeyOf(bare, databaseKey)).toBeNull();
    const { ring, caseKeyWrappingKey } = withCaseKeyWrappingKey(bare, databaseKey);
    expect(caseKeyWrappingKey).toHaveLength(32);
    expect(caseKeyWrappingKeyOf(parseKeyRing(formatKeyRing(ring)), databaseKey)).toEqual(caseKeyWrappingKey);
    expect(formatKeyRing(ring)).not.toContain(Buffer.from(caseKeyWrappingKey).toString('base64url'));
    expect(() => withCaseKeyWrappingKey(ring, databaseKey)).toThrow(expect.objectContaining({ code: 'Internal' }));
    const next = await withNewPassphrase(ring, databaseKey, 'new passphrase 2', CHEAP);
    expect(caseKeyWrappingKeyOf(next, await unlockWithPassphrase(next, 'new passphrase 2'))).toEqual(caseKeyWrappingKey);
    expect(await code(() => caseKeyWrappingKeyOf(ring, newDatabaseKey()))).toMatchObject({ code: 'KeyRingDamaged', issues: [{ path: 'db-key.json/caseKeys', problem: 'does_not_open' }] });
  });

  it('case keys: random, wrapped and sealed values bound to their case and field, null for anything that does not open', () => {
    const wrapping = newDatabaseKey();
    const caseKey = newCaseKey();
    expect(newCaseKey()).not.toEqual(caseKey);
    const wrapped = wrapCaseKey(caseKey, 'case-1', wrapping);
    expect(wrapped).toHaveLength(72);
    expect(unwrapCaseKey(wrapped, 'case-1', wrapping)).toEqual(caseKey);
    expect(unwrapCaseKey(wrapped, 'case-2', wrapping)).toBeNull();
    expect(unwrapCaseKey(wrapped, 'case-1', newDatabaseKey())).toBeNull();
    const sealed = sealCaseValue(caseKey, 'case-1', 'data', new TextEncoder().encode('Marija'));
    expect(isSealedCaseValue(sealed)).toBe(true);
    expect(sealed).not.toContain('Marija');
    expect(sealCaseValue(caseKey, 'case-1', 'data', new TextEncoder().encode('Marija'))).not.toBe(sealed); // a fresh nonce each time
    expect(new TextDecoder().decode(openCaseValue(caseKey, 'case-1', 'data', sealed)!)).toBe('Marija');
    expect(openCaseValue(caseKey, 'case-2', 'data', sealed)).toBeNull();
    expect(openCaseValue(caseKey, 'case-1', 'notes', sealed)).toBeNull();
    expect(openCaseValue(newCaseKey(), 'case-1', 'data', sealed)).toBeNull();
    const i = 'corridor-case/1:'.length + 40; // a character inside the ciphertext, all six bits used
    expect(openCaseValue(caseKey, 'case-1', 'data', `${sealed.slice(0, i)}${sealed[i] === 'A' ? 'B' : 'A'}${sealed.slice(i + 1)}`)).toBeNull();
    expect(openCaseValue(caseKey, 'case-1', 'data', 'corridor-case/1:!!')).toBeNull();
    expect(openCaseValue(caseKey, 'case-1', 'data', '{"plain":"json"}')).toBeNull();
  });

  it('keys as text: base32 in groups, case, spaces and dashes do not matter, anything else is null', () => {
    const key = newDatabaseKey();
    const text = formatKey(key);
    expect(text).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{1,4}){12}$/);
    expect(parseKey(text)).toEqual(key);
    expect(parseKey(` ${text.toLowerCase().replaceAll('-', ' ')} `)).toEqual(key);
    expect(parseKey(formatKey(new Uint8Array(32)))).toEqual(new Uint8Array(32));
    expect(parseKey(formatKey(new Uint8Array(32).fill(255)))).toEqual(new Uint8Array(32).fill(255));
    for (const bad of ['', text.slice(0, -1), `${text}A`, text.replace(/[A-Z]/, '1'), `${text.slice(0, -1)}B`]) expect(parseKey(bad)).toBeNull();
  });

  it('passphrases: at least 10 characters', () => {
    expect(passphraseProblem('short')).toBe('too_short');
    expect(passphraseProblem('x'.repeat(2000))).toBe('too_long');
    expect(passphraseProblem('ten chars!')).toBeNull();
  });

  it('sealed files open only under their database key', () => {
    const key = newDatabaseKey();
    const sealed = sealFile(new TextEncoder().encode('seed'), key);
    expect(sealed).toMatch(/^corridor-sealed\/1:[A-Za-z0-9_-]+\n$/);
    expect(new TextDecoder().decode(openSealedFile(sealed, key)!)).toBe('seed');
    expect(openSealedFile(sealed, newDatabaseKey())).toBeNull();
    expect(openSealedFile(`${sealed.slice(0, 30)}${sealed[30] === 'A' ? 'B' : 'A'}${sealed.slice(31)}`, key)).toBeNull();
    expect(openSealedFile('plain text', key)).toBeNull();
  });
});
