import { SIGNATURE_DOMAINS, type SignatureDomain } from '../version.js';
import { canonicalBytes } from './canonical.js';
import { ed25519Verify, fromBase64Url, toBase64Url } from './native.js';
import type { SigningKey } from './keys.js';

/**
 * Every signature in Corridor: Ed25519 over `domain prefix || exact bytes`. Objects are signed
 * over their RFC 8785 canonical bytes. docs/protocol.md lists each domain and what it covers.
 */

const encoder = new TextEncoder();
const prefixes = Object.fromEntries(
  Object.entries(SIGNATURE_DOMAINS).map(([name, text]) => [name, encoder.encode(text)]),
) as Record<SignatureDomain, Uint8Array>;

export function domainPrefix(domain: SignatureDomain): Uint8Array {
  return prefixes[domain];
}

/** `prefix || bytes`: the exact bytes an Ed25519 signature of that domain covers. */
export function signedBytes(domain: SignatureDomain, bytes: Uint8Array): Uint8Array {
  const prefix = prefixes[domain];
  const out = new Uint8Array(prefix.length + bytes.length);
  out.set(prefix, 0);
  out.set(bytes, prefix.length);
  return out;
}

export function signBytes(key: SigningKey, domain: SignatureDomain, bytes: Uint8Array): Uint8Array {
  return key.sign(signedBytes(domain, bytes));
}

export function verifyBytes(publicKey: Uint8Array, domain: SignatureDomain, bytes: Uint8Array, signature: Uint8Array): boolean {
  return ed25519Verify(publicKey, signedBytes(domain, bytes), signature);
}

/** Signs the RFC 8785 canonical form of `value`; returns the signature in base64url. */
export function signObject(key: SigningKey, domain: SignatureDomain, value: unknown): string {
  return toBase64Url(signBytes(key, domain, canonicalBytes(value)));
}

/** Verifies a base64url signature over the canonical form of `value`; never throws. */
export function verifyObject(publicKey: Uint8Array, domain: SignatureDomain, value: unknown, signature: string): boolean {
  const sig = fromBase64Url(signature);
  if (!sig || sig.length !== 64) return false;
  let bytes: Uint8Array;
  try {
    bytes = canonicalBytes(value);
  } catch {
    return false;
  }
  return verifyBytes(publicKey, domain, bytes, sig);
}
