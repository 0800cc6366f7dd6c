import { z } from 'zod';
import { aeadDecrypt, aeadEncrypt, ready } from './crypto/sodium.js';
import { type ScryptParams, fromBase64Url, randomBytes, scryptKey, sha256, toBase64Url } from './crypto/native.js';
import { ProtocolError } from './errors.js';

/**
 * The key ring of a node's data directory (`db-key.json`, ADR 0014): the random 32-byte key of
 * the encrypted database, wrapped (XChaCha20-Poly1305) once per way in: under a key from the
 * operator's passphrase (scrypt, parameters stored so they can grow), under the printed recovery
 * key, under a key file for unattended starts. Pure: the callers read and write the file.
 * Unwrapping happens before SQLite opens, so a wrong passphrase is its own clear error.
 * The synchronous functions need libsodium loaded (`ready()`); the asynchronous ones load it.
 */

export const KEY_RING_FORMAT = 'corridor-key-ring/1';
export const DATABASE_KEY_BYTES = 32;
/** ADR 0014: N = 2^18, r = 8, p = 1 (0.86 s and 256 MiB on the reference machine). */
export const DEFAULT_KDF: ScryptParams = { logN: 18, r: 8, p: 1 };

const b64 = (max: number) => z.string().regex(/^[A-Za-z0-9_-]+$/).max(max);
const Kdf = z.object({ name: z.literal('scrypt'), logN: z.number().int().min(10).max(22), r: z.number().int().min(1).max(32), p: z.number().int().min(1).max(16) }).strict();
const PassphraseSlot = z.object({ kind: z.literal('passphrase'), kdf: Kdf, salt: b64(64), nonce: b64(64), sealed: b64(128) }).strict();
const KeySlot = z.object({ kind: z.enum(['recovery', 'key-file']), nonce: b64(64), sealed: b64(128) }).strict();
const Slot = z.union([PassphraseSlot, KeySlot]);
export type KeyRingSlot = z.infer<typeof Slot>;

/** The case-key wrapping key (ADR 0014 step C), wrapped under the database key: every slot reaches it. */
const CaseKeys = z.object({ nonce: b64(64), sealed: b64(128) }).strict();

export const KeyRing = z
  .object({ format: z.literal(KEY_RING_FORMAT), cipher: z.literal('chacha20'), slots: z.array(Slot).min(1).max(16), caseKeys: CaseKeys.optional() })
  .strict();
export type KeyRing = z.infer<typeof KeyRing>;

const encoder = new TextEncoder();
const aad = (kind: KeyRingSlot['kind']) => encoder.encode(`${KEY_RING_FORMAT}|${kind}`);

/** A fresh random database key (never derived from anything: ADR 0014). */
export function newDatabaseKey(): Uint8Array {
  return randomBytes(DATABASE_KEY_BYTES);
}

function wrap(databaseKey: Uint8Array, kind: KeyRingSlot['kind'], wrappingKey: Uint8Array): { nonce: string; sealed: string } {
  const nonce = randomBytes(24);
  const sealed = aeadEncrypt(databaseKey, aad(kind), nonce, wrappingKey);
  if (!sealed) throw new ProtocolError('Internal', 'the database key could not be wrapped');
  return { nonce: toBase64Url(nonce), sealed: toBase64Url(sealed) };
}

function unwrap(slot: KeyRingSlot, wrappingKey: Uint8Array): Uint8Array | null {
  const nonce = fromBase64Url(slot.nonce);
  const sealed = fromBase64Url(slot.sealed);
  if (!nonce || !sealed || nonce.length !== 24) return null;
  const key = aeadDecrypt(sealed, aad(slot.kind), nonce, wrappingKey);
  return key && key.length === DATABASE_KEY_BYTES ? key : null;
}

const passphraseBytes = (passphrase: string) => encoder.encode(passphrase.normalize('NFC'));

/** A passphrase must be worth a memory-hard KDF: at least 10 characters, at most 1,024 bytes. */
export function passphraseProblem(passphrase: string): 'too_short' | 'too_long' | null {
  if ([...passphrase.normalize('NFC')].length < 10) return 'too_short';
  if (passphraseBytes(passphrase).length > 1024) return 'too_long';
  return null;
}

export async function passphraseSlot(databaseKey: Uint8Array, passphrase: string, kdf: ScryptParams = DEFAULT_KDF): Promise<KeyRingSlot> {
  await ready();
  const salt = randomBytes(16);
  const wrappingKey = await scryptKey(passphraseBytes(passphrase), salt, kdf, 32);
  return { kind: 'passphrase', kdf: { name: 'scrypt', ...kdf }, salt: toBase64Url(salt), ...wrap(databaseKey, 'passphrase', wrappingKey) };
}

/** A slot for a random 32-byte key (the recovery key, a key file): no KDF needed. */
export function keySlot(databaseKey: Uint8Array, kind: 'recovery' | 'key-file', key: Uint8Array): KeyRingSlot {
  if (key.length !== DATABASE_KEY_BYTES) throw new ProtocolError('Internal', 'a wrapping key has 32 bytes');
  return { kind, ...wrap(databaseKey, kind, key) };
}

export function keyRing(slots: KeyRingSlot[], caseKeys?: KeyRing['caseKeys']): KeyRing {
  return { format: KEY_RING_FORMAT, cipher: 'chacha20', slots, ...(caseKeys ? { caseKeys } : {}) };
}

const caseKeysAad = encoder.encode(`${KEY_RING_FORMAT}|case-keys`);

/**
 * The ring's second key, which wraps every case key (ADR 0014 step C): random, stored wrapped under
 * the database key (so the passphrase, the recovery key and a key file all reach it, and a ring
 * from before it gets one on the node's first start). `null` when the ring has none yet;
 * `KeyRingDamaged` when it has one that does not open under this database key.
 */
export function caseKeyWrappingKeyOf(ring: KeyRing, databaseKey: Uint8Array): Uint8Array | null {
  if (!ring.caseKeys) return null;
  const nonce = fromBase64Url(ring.caseKeys.nonce);
  const sealed = fromBase64Url(ring.caseKeys.sealed);
  const key = nonce && sealed && nonce.length === 24 ? aeadDecrypt(sealed, caseKeysAad, nonce, databaseKey) : null;
  if (!key || key.length !== DATABASE_KEY_BYTES) throw new ProtocolError('KeyRingDamaged', undefined, { issues: [{ path: 'db-key.json/caseKeys', problem: 'does_not_open' }] });
  return key;
}

/** The ring with a new random case-key wrapping key (the ring must not have one: it would orphan every case key). */
export function withCaseKeyWrappingKey(ring: KeyRing, databaseKey: Uint8Array, key: Uint8Array = randomBytes(DATABASE_KEY_BYTES)): { ring: KeyRing; caseKeyWrappingKey: Uint8Array } {
  if (ring.caseKeys) throw new ProtocolError('Internal', 'the key ring already has a case-key wrapping key');
  if (key.length !== DATABASE_KEY_BYTES) throw new ProtocolError('Internal', 'a case-key wrapping key has 32 bytes');
  const nonce = randomBytes(24);
  const sealed = aeadEncrypt(key, caseKeysAad, nonce, databaseKey);
  if (!sealed) throw new ProtocolError('Internal', 'the case-key wrapping key could not be wrapped');
  return { ring: keyRing(ring.slots, { nonce: toBase64Url(nonce), sealed: toBase64Url(sealed) }), caseKeyWrappingKey: key };
}

/** The key ring file's text → the ring; anything else is `KeyRingDamaged` (no value echoed). */
export function parseKeyRing(text: string): KeyRing {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProtocolError('KeyRingDamaged', undefined, { issues: [{ path: 'db-key.json', problem: 'not_json' }] });
  }
  const parsed = KeyRing.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ProtocolError('KeyRingDamaged', undefined, { issues: [{ path: `db-key.json${first && first.path.length > 0 ? `/${first.path.join('/')}` : ''}`, problem: 'invalid' }] });
  }
  return parsed.data;
}

export function formatKeyRing(ring: KeyRing): string {
  return `${JSON.stringify(ring, null, 2)}\n`;
}

const rejected = (what: 'passphrase' | 'key') => new ProtocolError('KeyRejected', undefined, { issues: [{ path: what, problem: 'does_not_unlock' }] });

/** The database key from the passphrase; `KeyRejected` when no passphrase slot opens. */
export async function unlockWithPassphrase(ring: KeyRing, passphrase: string): Promise<Uint8Array> {
  await ready();
  for (const slot of ring.slots) {
    if (slot.kind !== 'passphrase') continue;
    const salt = fromBase64Url(slot.salt);
    if (!salt) continue;
    const key = unwrap(slot, await scryptKey(passphraseBytes(passphrase), salt, slot.kdf, 32));
    if (key) return key;
  }
  throw rejected('passphrase');
}

/** The database key from the recovery key or a key file's key; `KeyRejected` when none opens. */
export function unlockWithKey(ring: KeyRing, key: Uint8Array): Uint8Array {
  if (key.length === DATABASE_KEY_BYTES) {
    for (const slot of ring.slots) {
      if (slot.kind === 'passphrase') continue;
      const found = unwrap(slot, key);
      if (found) return found;
    }
  }
  throw rejected('key');
}

/** The ring with its passphrase slots replaced by one for the new passphrase (the database key is unchanged). */
export async function withNewPassphrase(ring: KeyRing, databaseKey: Uint8Array, passphrase: string, kdf: ScryptParams = DEFAULT_KDF): Promise<KeyRing> {
  return keyRing([await passphraseSlot(databaseKey, passphrase, kdf), ...ring.slots.filter((s) => s.kind !== 'passphrase')], ring.caseKeys);
}

// Random keys as text: RFC 4648 base32 in groups of four, for paper (the recovery key) and files.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function formatKey(key: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of key) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)?.join('-') ?? '';
}

/** A typed or pasted key: case, spaces and dashes do not matter; `null` unless exactly 32 bytes. */
export function parseKey(text: string): Uint8Array | null {
  const clean = text.toUpperCase().replace(/[\s-]/g, '');
  if (clean.length !== 52 || !/^[A-Z2-7]+$/.test(clean)) return null;
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of clean) {
    value = ((value << 5) | ALPHABET.indexOf(c)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0) return null; // non-canonical trailing bits
  return Uint8Array.from(out);
}

// Small secret files of the data directory (the org key), sealed under a key derived from the database key.
const SEALED_PREFIX = 'corridor-sealed/1:';
const fileKey = (databaseKey: Uint8Array) => sha256(encoder.encode('corridor/1 data directory file key'), databaseKey);

export function sealFile(content: Uint8Array, databaseKey: Uint8Array): string {
  const nonce = randomBytes(24);
  const sealed = aeadEncrypt(content, encoder.encode(SEALED_PREFIX), nonce, fileKey(databaseKey));
  if (!sealed) throw new ProtocolError('Internal', 'the file could not be sealed');
  const both = new Uint8Array(24 + sealed.length);
  both.set(nonce);
  both.set(sealed, 24);
  return `${SEALED_PREFIX}${toBase64Url(both)}\n`;
}

export function isSealedFile(text: string): boolean {
  return text.startsWith(SEALED_PREFIX);
}

/** The content of a sealed file; `null` if it is not one or does not open under this key. */
export function openSealedFile(text: string, databaseKey: Uint8Array): Uint8Array | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith(SEALED_PREFIX)) return null;
  const both = fromBase64Url(trimmed.slice(SEALED_PREFIX.length));
  if (!both || both.length < 24 + 16) return null;
  return aeadDecrypt(both.subarray(24), encoder.encode(SEALED_PREFIX), both.subarray(0, 24), fileKey(databaseKey));
}
