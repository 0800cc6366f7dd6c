import { z } from 'zod';
import { type Result, fail, ok } from '../errors.js';
import { KeyId, NodeId, Ulid } from '../ids.js';
import { UnixTime } from '../time.js';
import { LIMITS, PROTOCOL_VERSION } from '../version.js';
import { padme } from './padding.js';

/**
 * Byte layout of a corridor/1 envelope (docs/protocol.md has the picture):
 *
 *   envelope  = u16be(H) || header (H bytes) || box
 *   header    = UTF-8 JSON {"v","id","to","prekey","expires"} in exactly that order, no spaces
 *   box       = crypto_box_seal(plaintext, recipient prekey)       (48 bytes overhead)
 *   plaintext = u32be(L) || inner (L bytes) || signature (64) || zero padding
 *               with |plaintext| = padme(4 + L + 64)
 *   signature = Ed25519(sender node key, "corridor/1 msg\0" || inner)
 */

export const OuterHeader = z.strictObject({
  v: z.string().max(32),
  id: Ulid,
  to: NodeId,
  prekey: KeyId,
  expires: UnixTime,
});
export type OuterHeader = z.infer<typeof OuterHeader>;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
export const SIGNATURE_BYTES = 64;

function headerText(h: OuterHeader): string {
  // fixed key order: the header has exactly one byte representation
  return JSON.stringify({ v: h.v, id: h.id, to: h.to, prekey: h.prekey, expires: h.expires });
}

export function encodeEnvelope(header: OuterHeader, box: Uint8Array): Uint8Array {
  const head = encoder.encode(headerText(header));
  const out = new Uint8Array(2 + head.length + box.length);
  new DataView(out.buffer).setUint16(0, head.length);
  out.set(head, 2);
  out.set(box, 2 + head.length);
  return out;
}

export type HeaderProblem = 'Malformed' | 'UnsupportedVersion' | 'TooLarge';

/** Reads the outer header without decrypting (what a transport or relay may look at). */
export function readEnvelope(envelope: Uint8Array, maxBytes: number = LIMITS.maxEnvelopeBytes): Result<{ header: OuterHeader; box: Uint8Array }, HeaderProblem> {
  if (envelope.length > maxBytes) return fail('TooLarge');
  if (envelope.length < 2) return fail('Malformed');
  const view = new DataView(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  const length = view.getUint16(0);
  if (length === 0 || length > LIMITS.maxHeaderBytes || 2 + length > envelope.length) return fail('Malformed');
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(envelope.subarray(2, 2 + length));
    value = JSON.parse(text);
  } catch {
    return fail('Malformed');
  }
  const parsed = OuterHeader.safeParse(value);
  if (!parsed.success) return fail('Malformed');
  if (parsed.data.v !== PROTOCOL_VERSION) return fail('UnsupportedVersion');
  if (headerText(parsed.data) !== text) return fail('Malformed');
  return ok({ header: parsed.data, box: envelope.subarray(2 + length) });
}

/** Frames and pads the signed inner message for sealing. */
export function framePlaintext(inner: Uint8Array, signature: Uint8Array): Uint8Array {
  if (signature.length !== SIGNATURE_BYTES) throw new RangeError('an Ed25519 signature is 64 bytes');
  const used = 4 + inner.length + SIGNATURE_BYTES;
  const out = new Uint8Array(padme(used)); // zero-filled: the padding
  new DataView(out.buffer).setUint32(0, inner.length);
  out.set(inner, 4);
  out.set(signature, 4 + inner.length);
  return out;
}

/** Splits a decrypted plaintext; the padding must be exactly padme-sized and all zeros. */
export function unframePlaintext(plaintext: Uint8Array): { inner: Uint8Array; signature: Uint8Array } | null {
  if (plaintext.length < 4 + SIGNATURE_BYTES) return null;
  const length = new DataView(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).getUint32(0);
  const used = 4 + length + SIGNATURE_BYTES;
  if (used > plaintext.length || padme(used) !== plaintext.length) return null;
  for (let i = used; i < plaintext.length; i++) if (plaintext[i] !== 0) return null;
  return {
    inner: plaintext.subarray(4, 4 + length),
    signature: plaintext.subarray(4 + length, used),
  };
}

export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
