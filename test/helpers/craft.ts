import { type InnerMessage, PROTOCOL_VERSION, type SigningKey, type VerifiedPrekey, signBytes } from '../../protocol/index.js';
import { seal as sealBox } from '../../protocol/crypto/sodium.js';
import { type OuterHeader, encodeEnvelope, framePlaintext } from '../../protocol/envelope/frame.js';

const encoder = new TextEncoder();

/**
 * An attacker's (or a buggy peer's) envelope builder: seals whatever inner bytes, signature and
 * header it is given, with none of seal()'s checks. Anyone can seal to a published prekey.
 */
export function craftEnvelope(parts: {
  inner: Uint8Array | InnerMessage;
  signer?: SigningKey;
  signature?: Uint8Array;
  prekey: VerifiedPrekey;
  header?: Partial<OuterHeader>;
  plaintext?: (framed: Uint8Array) => Uint8Array;
}): Uint8Array {
  const inner = parts.inner instanceof Uint8Array ? parts.inner : encoder.encode(JSON.stringify(parts.inner));
  const message = parts.inner instanceof Uint8Array ? undefined : parts.inner;
  const signature = parts.signature ?? (parts.signer ? signBytes(parts.signer, 'message', inner) : new Uint8Array(64));
  let plaintext = framePlaintext(inner, signature);
  if (parts.plaintext) plaintext = parts.plaintext(plaintext);
  const header: OuterHeader = {
    v: PROTOCOL_VERSION,
    id: message?.id ?? '01JDQ8Z3K8Q4W6X2M7N5P0R1S4',
    to: message?.to ?? parts.prekey.node,
    prekey: parts.prekey.kid,
    expires: message?.expires ?? 0,
    ...parts.header,
  };
  return encodeEnvelope(header, sealBox(plaintext, parts.prekey.publicKey));
}
