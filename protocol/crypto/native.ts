import { type KeyObject, createHash, createPrivateKey, createPublicKey, hash as oneShot, randomFillSync, scrypt, sign, verify } from 'node:crypto';

/**
 * The only file that imports node:crypto: Ed25519 signatures and SHA-256, both pure computation.
 * node:crypto (OpenSSL) is the fastest correct Ed25519 measured here (docs/adr/0002); it judges
 * every Wycheproof vector as the file says, like libsodium and @noble/ed25519 {zip215:false}.
 */

const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_ED25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** An opaque handle on an Ed25519 private key; the seed is not reachable through it. */
export interface Ed25519PrivateHandle {
  readonly kind: 'ed25519-private';
  readonly object: KeyObject;
}

export function ed25519PrivateFromSeed(seed: Uint8Array): Ed25519PrivateHandle {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  const der = concat(PKCS8_ED25519_PREFIX, seed);
  const object = createPrivateKey({ key: Buffer.from(der.buffer, der.byteOffset, der.length), format: 'der', type: 'pkcs8' });
  der.fill(0);
  return { kind: 'ed25519-private', object };
}

export function ed25519PublicKey(handle: Ed25519PrivateHandle): Uint8Array {
  const spki = createPublicKey(handle.object).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX.length));
}

export function ed25519Sign(handle: Ed25519PrivateHandle, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, handle.object));
}

// a full directory's org keys (thousands) plus the peers' node keys
const PUBLIC_CACHE_LIMIT = 16_384;
const publicCache = new Map<string, KeyObject>();

function publicKeyObject(publicKey: Uint8Array): KeyObject | null {
  const cacheKey = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('base64');
  const cached = publicCache.get(cacheKey);
  if (cached) return cached;
  let object: KeyObject;
  try {
    object = createPublicKey({ key: Buffer.from(concat(SPKI_ED25519_PREFIX, publicKey)), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
  if (publicCache.size >= PUBLIC_CACHE_LIMIT) {
    const oldest = publicCache.keys().next().value;
    if (oldest !== undefined) publicCache.delete(oldest);
  }
  publicCache.set(cacheKey, object);
  return object;
}

/** Strict RFC 8032 verification; `false` for any malformed key or signature, never a throw. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = publicKeyObject(publicKey);
  if (!key) return false;
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

/**
 * Cryptographically secure random bytes (the operating system's CSPRNG). libsodium-wrappers
 * draws its own randomness four bytes per call through WebCrypto, which cost about half a
 * millisecond per sealed box here (docs/adr/0009); everything random in Corridor comes from here.
 */
export function randomBytes(length: number): Uint8Array {
  return randomFillSync(new Uint8Array(length));
}

const POOL_BYTES = 4096;
let pool: Uint8Array = new Uint8Array(0);
let poolAt = 0;

/** A uniform number in [0, 1) from the CSPRNG, for ULID's random part (drawn from a refilled pool). */
export function randomUnit(): number {
  if (poolAt + 4 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  const n = ((pool[poolAt]! << 24) >>> 0) + (pool[poolAt + 1]! << 16) + (pool[poolAt + 2]! << 8) + pool[poolAt + 3]!;
  pool.fill(0, poolAt, poolAt + 4);
  poolAt += 4;
  return n / 2 ** 32;
}

export function sha512(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

// SHA-256 of small inputs (Merkle leaves and nodes, a million of them in `audit verify`): the parts
// are copied into one scratch buffer and hashed by the one-shot `crypto.hash`, three times faster
// than a `createHash` object per call for a Merkle node; the digest comes back as a binary string
// and is copied into a new Uint8Array, twice as fast again as a Buffer made per digest (throw-away
// measurements; `npm run bench` shows the effect on audit verify)
const SCRATCH_BYTES = 16 * 1024;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

export function sha256(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  if (parts.length === 1) return fromBinary(oneShot('sha256', parts[0]!, 'binary'));
  if (total <= SCRATCH_BYTES) {
    let at = 0;
    for (const part of parts) {
      scratch.set(part, at);
      at += part.length;
    }
    return fromBinary(oneShot('sha256', (scratchViews[at] ??= scratch.subarray(0, at)), 'binary'));
  }
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return fromBinary(hash.digest('binary'));
}

/** one view of the scratch buffer per length, made once: not a new Buffer object per hash */
const scratchViews: Buffer[] = [];

function fromBinary(digest: string): Uint8Array {
  const out = new Uint8Array(digest.length);
  for (let i = 0; i < digest.length; i++) out[i] = digest.charCodeAt(i);
  return out;
}

/**
 * SHA-256 as a binary string: 32 characters, one per byte (latin1). For hashing in bulk (`audit
 * verify` hashes two million small inputs, leaves and nodes): the digest stays the string the
 * one-shot hash returns, with no array made per digest. Each part is bytes or a binary string (as
 * this returns); the parts are hashed as one input.
 */
export function sha256Binary(first: Uint8Array | string, second?: Uint8Array | string, third?: Uint8Array | string): string {
  const total = partLength(first) + partLength(second) + partLength(third);
  if (total > SCRATCH_BYTES) {
    const hash = createHash('sha256');
    for (const part of [first, second, third]) if (part !== undefined) hash.update(typeof part === 'string' ? Buffer.from(part, 'latin1') : part);
    return hash.digest('binary');
  }
  let at = writePart(first, 0);
  if (second !== undefined) at = writePart(second, at);
  if (third !== undefined) at = writePart(third, at);
  return oneShot('sha256', (scratchViews[at] ??= scratch.subarray(0, at)), 'binary');
}

const partLength = (part: Uint8Array | string | undefined): number => (part === undefined ? 0 : part.length);

function writePart(part: Uint8Array | string, at: number): number {
  if (typeof part !== 'string') {
    scratch.set(part, at);
    return at + part.length;
  }
  // a digest (32 characters): a loop costs less than Buffer#write's encoding dispatch
  if (part.length > 64) return at + scratch.write(part, at, 'latin1');
  for (let i = 0; i < part.length; i++) scratch[at + i] = part.charCodeAt(i);
  return at + part.length;
}

/** scrypt cost parameters (RFC 7914): N = 2^logN, block size r, parallelism p. */
export interface ScryptParams {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/**
 * scrypt (RFC 7914), memory-hard, for keys from passphrases (ADR 0014: N=2^18 r=8 p=1 takes
 * 0.86 s and 256 MiB here, and gives the memory back, unlike Argon2 in WASM). Asynchronous: it
 * runs on libuv's thread pool, so a login does not stall the node's event loop.
 */
export function scryptKey(secret: Uint8Array, salt: Uint8Array, params: ScryptParams, length = 32): Promise<Uint8Array> {
  const N = 2 ** params.logN;
  const maxmem = 2 * 128 * N * params.r * params.p + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, { N, r: params.r, p: params.p, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
    });
  });
}

/** base64url without padding (RFC 4648 section 5). */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Strict base64url (no padding, canonical trailing bits) decode; `null` on anything else. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  // one value, one text: refuse encodings whose unused trailing bits are set
  return bytes.toString('base64url') === text ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
}
