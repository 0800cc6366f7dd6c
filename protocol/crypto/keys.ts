import { FINGERPRINT_DOMAIN } from '../version.js';
import { type Ed25519PrivateHandle, ed25519PrivateFromSeed, ed25519PublicKey, ed25519Sign, randomBytes, sha256, sha512, toBase64Url } from './native.js';
import { sealOpen, wipe, x25519KeyPair, x25519PublicKey } from './sodium.js';

/**
 * Key material. Private keys live in private class fields: they never appear in
 * `JSON.stringify`, `String()`, template strings, `util.inspect` or `console.log`; exporting
 * one (to write it to the node's encrypted key file) is a deliberate call: `exportSeed()` /
 * `exportPrivateKey()`. Signing keys (Ed25519) and encryption keys (X25519) are separate.
 */

const inspect = Symbol.for('nodejs.util.inspect.custom');
const encoder = new TextEncoder();

export type SigningKeyKind = 'org' | 'node';
const KID_PREFIX = { org: 'org', node: 'nsk', prekey: 'spk' } as const;

/** Key id derived from the public key: `nsk-` + 16 base64url characters of SHA-256(public key). */
export function keyId(kind: SigningKeyKind | 'prekey', publicKey: Uint8Array): string {
  return `${KID_PREFIX[kind]}-${toBase64Url(sha256(publicKey)).slice(0, 16)}`;
}

/**
 * The fingerprint two people read aloud to each other to compare a key: 40 digits in 8 groups
 * of 5, from SHA-512("corridor/1 fpr\0" || public key). Digits read the same in every language
 * the network speaks (Serbian, Macedonian, Albanian, German, English, Arabic, Farsi).
 */
export function fingerprint(publicKey: Uint8Array): string {
  const digest = sha512(encoder.encode(FINGERPRINT_DOMAIN), publicKey);
  const groups: string[] = [];
  for (let g = 0; g < 8; g++) {
    let n = 0;
    for (let i = 0; i < 5; i++) n = n * 256 + (digest[g * 5 + i] ?? 0);
    groups.push(String(n % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}

/** An Ed25519 signing key: an organisation's offline key or a node's online signing key. */
export class SigningKey {
  readonly kind: SigningKeyKind;
  readonly kid: string;
  readonly publicKey: Uint8Array;
  readonly #handle: Ed25519PrivateHandle;
  readonly #seed: Uint8Array;

  private constructor(kind: SigningKeyKind, seed: Uint8Array) {
    if (seed.length !== 32) throw new RangeError('a signing key seed is 32 bytes');
    this.kind = kind;
    this.#seed = Uint8Array.from(seed);
    this.#handle = ed25519PrivateFromSeed(this.#seed);
    this.publicKey = ed25519PublicKey(this.#handle);
    this.kid = keyId(kind, this.publicKey);
  }

  static generate(kind: SigningKeyKind): SigningKey {
    const seed = randomBytes(32);
    const key = new SigningKey(kind, seed);
    wipe(seed);
    return key;
  }

  static fromSeed(kind: SigningKeyKind, seed: Uint8Array): SigningKey {
    return new SigningKey(kind, seed);
  }

  /** Raw Ed25519 over exact bytes. Callers go through crypto/signing.ts, which adds the domain prefix. */
  sign(bytes: Uint8Array): Uint8Array {
    return ed25519Sign(this.#handle, bytes);
  }

  /** The 32-byte seed, for the node's key file. Deliberate: nothing else reveals it. */
  exportSeed(): Uint8Array {
    return Uint8Array.from(this.#seed);
  }

  fingerprint(): string {
    return fingerprint(this.publicKey);
  }

  toJSON(): { kind: SigningKeyKind; kid: string; publicKey: string } {
    return { kind: this.kind, kid: this.kid, publicKey: toBase64Url(this.publicKey) };
  }

  toString(): string {
    return `SigningKey(${this.kid})`;
  }

  [inspect](): string {
    return this.toString();
  }
}

/** A prekey's private half (X25519). It opens sealed boxes; it never signs. */
export class PrekeySecret {
  readonly kid: string;
  readonly publicKey: Uint8Array;
  readonly #privateKey: Uint8Array;
  #destroyed = false;

  private constructor(privateKey: Uint8Array) {
    if (privateKey.length !== 32) throw new RangeError('an X25519 private key is 32 bytes');
    this.#privateKey = Uint8Array.from(privateKey);
    this.publicKey = x25519PublicKey(this.#privateKey);
    this.kid = keyId('prekey', this.publicKey);
  }

  static generate(): PrekeySecret {
    const pair = x25519KeyPair();
    const secret = new PrekeySecret(pair.privateKey);
    wipe(pair.privateKey);
    return secret;
  }

  static fromPrivateKey(privateKey: Uint8Array): PrekeySecret {
    return new PrekeySecret(privateKey);
  }

  /** Opens a sealed box addressed to this prekey; `null` if it does not open. */
  open(box: Uint8Array): Uint8Array | null {
    if (this.#destroyed) return null;
    return sealOpen(box, this.publicKey, this.#privateKey);
  }

  /** The private key, for the node's key file. Deliberate: nothing else reveals it. */
  exportPrivateKey(): Uint8Array {
    if (this.#destroyed) throw new Error('this prekey was destroyed');
    return Uint8Array.from(this.#privateKey);
  }

  /** Deleting a prekey after `notAfter` + the longest message lifetime is what bounds forward secrecy. */
  destroy(): void {
    wipe(this.#privateKey);
    this.#destroyed = true; // a wiped (all-zero) scalar must not open boxes sealed to its public key
  }

  toJSON(): { kid: string; publicKey: string } {
    return { kid: this.kid, publicKey: toBase64Url(this.publicKey) };
  }

  toString(): string {
    return `PrekeySecret(${this.kid})`;
  }

  [inspect](): string {
    return this.toString();
  }
}
