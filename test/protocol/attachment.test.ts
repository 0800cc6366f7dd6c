import { describe, expect, it } from 'vitest';
import { chunkCount, ciphertextSize, openAttachment, randomBytes, sealAttachment, sha256, signObject, toBase64Url } from '../../protocol/index.js';
import { DAY, T0, lefoe, openGate } from '../helpers/keys.js';

const CHUNK = 64 * 1024;
const CT_CHUNK = CHUNK + 17;

function certificate(size: number) {
  const bytes = randomBytes(size);
  const sealed = sealAttachment(bytes, { mediaType: 'application/pdf', sender: lefoe.nodeKey, node: lefoe.node, nowMs: T0 * 1000 });
  return { bytes, sealed, input: { manifest: sealed.manifest, signature: sealed.signature, key: sealed.key, senderKey: lefoe.trustedKey } };
}

describe('attachments: secretstream in 64 KiB chunks with a signed manifest', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 12_345])('a %i-byte medical certificate round-trips', (size) => {
    const { bytes, sealed, input } = certificate(size);
    expect(sealed.manifest.size).toBe(size);
    expect(sealed.manifest.chunkSha256).toHaveLength(chunkCount(size));
    expect(sealed.ciphertext.length).toBe(ciphertextSize(size));
    const opened = openAttachment(sealed.ciphertext, input);
    expect(opened.ok && opened.value).toEqual(bytes);
  });

  it('truncation is rejected: a missing last chunk, a cut chunk, a missing byte', () => {
    const { sealed, input } = certificate(3 * CHUNK + 100);
    expect(openAttachment(sealed.ciphertext.subarray(0, 3 * CT_CHUNK), input)).toMatchObject({ ok: false, code: 'AttachmentTruncated' });
    expect(openAttachment(sealed.ciphertext.subarray(0, sealed.ciphertext.length - 1), input)).toMatchObject({ ok: false, code: 'AttachmentTruncated' });
  });

  it('truncation with a manifest re-signed by the sender to match is still refused: the last chunk lacks FINAL', () => {
    const { sealed, input } = certificate(3 * CHUNK);
    const ciphertext = sealed.ciphertext.subarray(0, 2 * CT_CHUNK);
    const manifest = { ...sealed.manifest, size: 2 * CHUNK, chunkSha256: sealed.manifest.chunkSha256.slice(0, 2) };
    manifest.ctSha256 = toBase64Url(sha256(ciphertext));
    const signature = signObject(lefoe.nodeKey, 'manifest', manifest);
    expect(openAttachment(ciphertext, { ...input, manifest, signature })).toMatchObject({ ok: false, code: 'AttachmentTruncated' });
  });

  it('extension is rejected: extra bytes, an extra chunk', () => {
    const { sealed, input } = certificate(2 * CHUNK + 5);
    expect(openAttachment(Uint8Array.from([...sealed.ciphertext, 0]), input)).toMatchObject({ ok: false, code: 'AttachmentTooLong' });
    const doubled = new Uint8Array(sealed.ciphertext.length + CT_CHUNK);
    doubled.set(sealed.ciphertext);
    doubled.set(sealed.ciphertext.subarray(0, CT_CHUNK), sealed.ciphertext.length);
    expect(openAttachment(doubled, input)).toMatchObject({ ok: false, code: 'AttachmentTooLong' });
  });

  it('reordering chunks is rejected', () => {
    const { sealed, input } = certificate(3 * CHUNK);
    const c = sealed.ciphertext;
    const swapped = new Uint8Array(c.length);
    swapped.set(c.subarray(CT_CHUNK, 2 * CT_CHUNK), 0);
    swapped.set(c.subarray(0, CT_CHUNK), CT_CHUNK);
    swapped.set(c.subarray(2 * CT_CHUNK), 2 * CT_CHUNK);
    expect(openAttachment(swapped, input)).toMatchObject({ ok: false, code: 'AttachmentCorrupt' });
    // even when the manifest's hash list is reordered to match and re-signed, the stream refuses it
    const hashes = sealed.manifest.chunkSha256;
    const manifest = { ...sealed.manifest, chunkSha256: [hashes[1]!, hashes[0]!, hashes[2]!], ctSha256: toBase64Url(sha256(swapped)) };
    const signature = signObject(lefoe.nodeKey, 'manifest', manifest);
    expect(openAttachment(swapped, { ...input, manifest, signature })).toMatchObject({ ok: false, code: 'AttachmentCorrupt' });
  });

  it('a wrong key is rejected', () => {
    const { sealed, input } = certificate(CHUNK + 10);
    expect(openAttachment(sealed.ciphertext, { ...input, key: randomBytes(32) })).toMatchObject({ ok: false, code: 'AttachmentCorrupt' });
    expect(openAttachment(sealed.ciphertext, { ...input, key: randomBytes(31) })).toMatchObject({ ok: false, code: 'AttachmentCorrupt' });
  });

  it('a flipped ciphertext bit, a changed manifest, another signer, a revoked signer are rejected', () => {
    const { sealed, input } = certificate(CHUNK + 10);
    const flipped = Uint8Array.from(sealed.ciphertext);
    flipped[CT_CHUNK + 3] = (flipped[CT_CHUNK + 3] ?? 0) ^ 1;
    expect(openAttachment(flipped, input)).toMatchObject({ ok: false, code: 'AttachmentCorrupt' });
    expect(openAttachment(sealed.ciphertext, { ...input, manifest: { ...sealed.manifest, mediaType: 'image/png' } })).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(openAttachment(sealed.ciphertext, { ...input, senderKey: openGate.trustedKey })).toMatchObject({ ok: false, code: 'BadSignature' });
    expect(openAttachment(sealed.ciphertext, { ...input, senderKey: { ...lefoe.trustedKey, compromisedSince: T0 - DAY } })).toMatchObject({ ok: false, code: 'KeyRevoked' });
    expect(openAttachment(sealed.ciphertext, { ...input, manifest: { ...sealed.manifest, size: -1 } })).toMatchObject({ ok: false, code: 'SchemaViolation' });
  });
});
