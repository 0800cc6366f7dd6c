import { z } from 'zod';
import { type Result, fail, ok } from './errors.js';
import { KeyId, NodeId, Sha256, Ulid, newId } from './ids.js';
import type { SigningKey } from './crypto/keys.js';
import { fromBase64Url, sha256, toBase64Url } from './crypto/native.js';
import { signObject, verifyObject } from './crypto/signing.js';
import {
  SECRETSTREAM_HEADER_BYTES,
  SECRETSTREAM_OVERHEAD_BYTES,
  streamKey,
  streamPull,
  streamPullInit,
  streamPush,
  streamPushInit,
} from './crypto/sodium.js';
import { type TrustedNodeKey, nodeKeyStatusAt } from './identity.js';
import { UnixTime } from './time.js';
import { parseWith } from './validation.js';
import { LIMITS, PROTOCOL_VERSION } from './version.js';

/**
 * Attachments (a medical certificate, tickets, a scanned statement): libsodium secretstream
 * (XChaCha20-Poly1305) in 64 KiB chunks, the last one tagged FINAL, plus a manifest signed by
 * the sender's node key that fixes the size and the SHA-256 of every ciphertext chunk. A
 * receiver can check each chunk as it arrives (resumable download) and refuses truncation,
 * reordering, extension and a wrong key.
 */

const MAX_ATTACHMENT_BYTES = LIMITS.maxAttachmentBytes;
const CHUNK = LIMITS.attachmentChunkBytes;
const CT_CHUNK = CHUNK + SECRETSTREAM_OVERHEAD_BYTES;

export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / CHUNK));
}

export function ciphertextSize(size: number): number {
  return size + chunkCount(size) * SECRETSTREAM_OVERHEAD_BYTES;
}

export const AttachmentManifest = z
  .strictObject({
    v: z.literal(PROTOCOL_VERSION),
    id: Ulid,
    mediaType: z.string().regex(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/, 'media type'),
    size: z.number().int().min(0).max(MAX_ATTACHMENT_BYTES),
    chunkSize: z.literal(CHUNK),
    header: z.string().regex(/^[A-Za-z0-9_-]{32}$/, 'secretstream header'),
    ctSha256: Sha256,
    chunkSha256: z.array(Sha256).min(1).max(chunkCount(MAX_ATTACHMENT_BYTES)),
    signer: z.strictObject({ node: NodeId, kid: KeyId }),
    created: UnixTime,
  })
  .refine((m) => m.chunkSha256.length === chunkCount(m.size), { path: ['chunkSha256'], message: 'count' });
export type AttachmentManifest = z.infer<typeof AttachmentManifest>;

export interface SealedAttachment {
  /** the secretstream key: travels only inside a sealed message, never next to the ciphertext */
  readonly key: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly manifest: AttachmentManifest;
  /** the node key's signature over the manifest's canonical bytes (domain `manifest`) */
  readonly signature: string;
}

export function sealAttachment(
  bytes: Uint8Array,
  options: { mediaType: string; sender: SigningKey; node: string; nowMs: number },
): SealedAttachment {
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw new RangeError('attachment larger than the limit');
  const key = streamKey();
  const { state, header } = streamPushInit(key);
  const count = chunkCount(bytes.length);
  const ciphertext = new Uint8Array(ciphertextSize(bytes.length));
  const chunkSha256: string[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = streamPush(state, bytes.subarray(i * CHUNK, Math.min(bytes.length, (i + 1) * CHUNK)), i === count - 1);
    ciphertext.set(chunk, i * CT_CHUNK);
    chunkSha256.push(toBase64Url(sha256(chunk)));
  }
  const manifest = AttachmentManifest.parse({
    v: PROTOCOL_VERSION,
    id: newId(options.nowMs),
    mediaType: options.mediaType,
    size: bytes.length,
    chunkSize: CHUNK,
    header: toBase64Url(header),
    ctSha256: toBase64Url(sha256(ciphertext)),
    chunkSha256,
    signer: { node: options.node, kid: options.sender.kid },
    created: Math.floor(options.nowMs / 1000),
  });
  return { key, ciphertext, manifest, signature: signObject(options.sender, 'manifest', manifest) };
}

export type AttachmentProblem =
  | 'SchemaViolation'
  | 'BadSignature'
  | 'KeyNotValid'
  | 'KeyRevoked'
  | 'AttachmentTruncated'
  | 'AttachmentTooLong'
  | 'AttachmentCorrupt';

/** Checks the manifest and its signature before a single chunk is downloaded. */
export function verifyManifest(input: unknown, signature: string, senderKey: TrustedNodeKey): Result<AttachmentManifest, AttachmentProblem> {
  const parsed = parseWith(AttachmentManifest, input);
  if (!parsed.ok) return parsed;
  const manifest = parsed.value;
  if (manifest.signer.node !== senderKey.node || manifest.signer.kid !== senderKey.kid) return fail('BadSignature');
  if (!verifyObject(senderKey.publicKey, 'manifest', manifest, signature)) return fail('BadSignature');
  const status = nodeKeyStatusAt(senderKey, manifest.created);
  if (status) return fail(status);
  return ok(manifest);
}

/** The expected SHA-256 check of one ciphertext chunk, for resumable downloads. */
export function chunkMatches(manifest: AttachmentManifest, index: number, chunk: Uint8Array): boolean {
  const expected = manifest.chunkSha256[index];
  return expected !== undefined && toBase64Url(sha256(chunk)) === expected;
}

/** Verifies and decrypts a whole attachment; never throws for bad input. */
export function openAttachment(
  ciphertext: Uint8Array,
  input: { manifest: unknown; signature: string; key: Uint8Array; senderKey: TrustedNodeKey },
): Result<Uint8Array, AttachmentProblem> {
  const verified = verifyManifest(input.manifest, input.signature, input.senderKey);
  if (!verified.ok) return verified;
  const manifest = verified.value;
  const expected = ciphertextSize(manifest.size);
  if (ciphertext.length < expected) return fail('AttachmentTruncated');
  if (ciphertext.length > expected) return fail('AttachmentTooLong');
  const header = fromBase64Url(manifest.header);
  const state = header && header.length === SECRETSTREAM_HEADER_BYTES ? streamPullInit(header, input.key) : null;
  if (!state) return fail('AttachmentCorrupt');

  const count = manifest.chunkSha256.length;
  const out = new Uint8Array(manifest.size);
  let written = 0;
  for (let i = 0; i < count; i++) {
    const chunk = ciphertext.subarray(i * CT_CHUNK, Math.min(ciphertext.length, (i + 1) * CT_CHUNK));
    if (!chunkMatches(manifest, i, chunk)) return fail('AttachmentCorrupt');
    const pulled = streamPull(state, chunk);
    if (!pulled) return fail('AttachmentCorrupt');
    const last = i === count - 1;
    if (pulled.final && !last) return fail('AttachmentTooLong');
    if (!pulled.final && last) return fail('AttachmentTruncated');
    if (written + pulled.message.length > out.length) return fail('AttachmentTooLong');
    out.set(pulled.message, written);
    written += pulled.message.length;
  }
  if (written !== manifest.size) return fail('AttachmentCorrupt');
  if (toBase64Url(sha256(ciphertext)) !== manifest.ctSha256) return fail('AttachmentCorrupt');
  return ok(out);
}
