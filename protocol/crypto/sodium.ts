import sodium from 'libsodium-wrappers';
import { randomBytes } from './native.js';

/**
 * The only file that imports libsodium-wrappers. It wraps exactly the primitives Corridor uses
 * and turns libsodium's throws on bad input (wrong lengths, low-order points, failed
 * authentication) into `null`: bad input from a peer is a rejection, not an exception.
 */

let initialised = false;

/** Resolves once libsodium's WebAssembly is loaded. Call once at start-up before any crypto. */
export async function ready(): Promise<void> {
  await sodium.ready;
  initialised = true;
}

function lib(): typeof sodium {
  if (!initialised) throw new Error('corridor crypto used before ready()');
  return sodium;
}

export const BOX_PUBLIC_KEY_BYTES = 32;
export const BOX_SECRET_KEY_BYTES = 32;
export const SEAL_OVERHEAD_BYTES = 48;
export const SECRETSTREAM_KEY_BYTES = 32;
export const SECRETSTREAM_HEADER_BYTES = 24;
export const SECRETSTREAM_OVERHEAD_BYTES = 17;

/** A fresh X25519 key pair (the private scalar from the system CSPRNG). */
export function x25519KeyPair(): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const privateKey = randomBytes(32);
  return { publicKey: lib().crypto_scalarmult_base(privateKey), privateKey };
}

/** X25519 public key of a private scalar. */
export function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return lib().crypto_scalarmult_base(privateKey);
}

/** X25519(scalar, point). `null` for wrong lengths and for low-order points (all-zero shared secret). */
export function x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array | null {
  if (privateKey.length !== 32 || publicKey.length !== 32) return null;
  try {
    return lib().crypto_scalarmult(privateKey, publicKey);
  } catch {
    return null;
  }
}

/**
 * crypto_box_seal: an anonymous sealed box to an X25519 public key, built exactly as libsodium
 * builds it (ephemeral key pair; nonce = BLAKE2b-192(ephemeral pk || recipient pk);
 * crypto_box_easy), so `crypto_box_seal_open` opens it (test/conformance/x25519.test.ts checks
 * both ways). The ephemeral key comes from the system CSPRNG instead of libsodium's slow one.
 */
export function seal(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  const s = lib();
  const ephemeralSecret = randomBytes(32);
  const ephemeralPublic = s.crypto_scalarmult_base(ephemeralSecret);
  const keys = new Uint8Array(64);
  keys.set(ephemeralPublic, 0);
  keys.set(recipientPublicKey, 32);
  const nonce = s.crypto_generichash(s.crypto_box_NONCEBYTES, keys, null);
  const box = s.crypto_box_easy(message, nonce, recipientPublicKey, ephemeralSecret);
  wipe(ephemeralSecret);
  const out = new Uint8Array(32 + box.length);
  out.set(ephemeralPublic, 0);
  out.set(box, 32);
  return out;
}

/** libsodium's own crypto_box_seal, kept for the test that both constructions agree. */
export function sealWithLibsodium(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  return lib().crypto_box_seal(message, recipientPublicKey);
}

/** crypto_box_seal_open; `null` if the box does not open (tampered, wrong key, low-order ephemeral key). */
export function sealOpen(box: Uint8Array, publicKey: Uint8Array, privateKey: Uint8Array): Uint8Array | null {
  if (box.length < SEAL_OVERHEAD_BYTES) return null;
  try {
    return lib().crypto_box_seal_open(box, publicKey, privateKey);
  } catch {
    return null;
  }
}

/** XChaCha20-Poly1305 (IETF) encryption; returns ciphertext with the 16-byte tag appended. */
export function aeadEncrypt(message: Uint8Array, aad: Uint8Array | null, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  try {
    return lib().crypto_aead_xchacha20poly1305_ietf_encrypt(message, aad, null, nonce, key);
  } catch {
    return null;
  }
}

/** XChaCha20-Poly1305 (IETF) decryption; `null` on any failure. */
export function aeadDecrypt(ciphertext: Uint8Array, aad: Uint8Array | null, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  try {
    return lib().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, aad, nonce, key);
  } catch {
    return null;
  }
}

export type StreamState = ReturnType<typeof sodium.crypto_secretstream_xchacha20poly1305_init_push>['state'];

export const STREAM_TAG = {
  message: 0,
  final: 3,
} as const;

export function streamKey(): Uint8Array {
  return randomBytes(SECRETSTREAM_KEY_BYTES);
}

export function streamPushInit(key: Uint8Array): { state: StreamState; header: Uint8Array } {
  const res = lib().crypto_secretstream_xchacha20poly1305_init_push(key);
  return { state: res.state, header: res.header };
}

export function streamPush(state: StreamState, chunk: Uint8Array, final: boolean): Uint8Array {
  const s = lib();
  return s.crypto_secretstream_xchacha20poly1305_push(
    state,
    chunk,
    null,
    final ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
  );
}

export function streamPullInit(header: Uint8Array, key: Uint8Array): StreamState | null {
  if (header.length !== SECRETSTREAM_HEADER_BYTES || key.length !== SECRETSTREAM_KEY_BYTES) return null;
  try {
    return lib().crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  } catch {
    return null;
  }
}

/** One chunk; `null` if it does not authenticate (wrong key, tampered, reordered). */
export function streamPull(state: StreamState, chunk: Uint8Array): { message: Uint8Array; final: boolean } | null {
  const s = lib();
  try {
    const res = s.crypto_secretstream_xchacha20poly1305_pull(state, chunk, null) as
      | { message: Uint8Array; tag: number }
      | false;
    if (!res) return null;
    return { message: res.message, final: res.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL };
  } catch {
    return null;
  }
}

/** Constant-time comparison of equal-length byte arrays. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && lib().memcmp(a, b);
}

/** Overwrite secret bytes in place. */
export function wipe(bytes: Uint8Array): void {
  lib().memzero(bytes);
}
