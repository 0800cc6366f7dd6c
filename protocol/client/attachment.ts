import { type AttachmentManifest, chunkMatches, ciphertextSize } from '../attachment.js';
import { type ErrorCode, isErrorCode } from '../errors.js';
import { signRequest } from '../http-signature.js';
import { LIMITS } from '../version.js';
import type { MirrorRequest } from './directory.js';

/**
 * The attachment client: a signed GET of an attachment's ciphertext from the node that sent it
 * (`GET /federation/v1/attachments/{id}`, signed like every federation request). The manifest
 * must already be verified: it bounds the download (never more than the ciphertext it fixes)
 * and every chunk is checked against its SHA-256 as it arrives, so a bad chunk stops the download
 * at once. The caller then opens the whole attachment (openAttachment) to check the stream.
 * Never throws.
 */

export const ATTACHMENT_PATH = '/federation/v1/attachments';
export const ATTACHMENT_MEDIA_TYPE = 'application/octet-stream';

/** a ciphertext chunk: 64 KiB of plaintext and the secretstream overhead */
const CT_CHUNK = ciphertextSize(LIMITS.attachmentChunkBytes);

export type FetchedAttachment = { ok: true; ciphertext: Uint8Array } | { ok: false; status: number | null; code: ErrorCode };

export async function fetchAttachment(input: MirrorRequest, manifest: AttachmentManifest): Promise<FetchedAttachment> {
  const url = `${input.baseUrl.replace(/\/+$/, '')}${ATTACHMENT_PATH}/${encodeURIComponent(manifest.id)}`;
  let headers: Record<string, string>;
  try {
    headers = signRequest({ method: 'GET', url, contentType: ATTACHMENT_MEDIA_TYPE, body: new Uint8Array(0), key: input.signer, node: input.from, created: input.now, nonce: input.nonce });
  } catch {
    return { ok: false, status: null, code: 'InvalidRequest' };
  }
  const { 'content-length': _length, ...sent } = headers;
  let response: Response;
  try {
    response = await input.fetch(url, { method: 'GET', headers: sent, signal: AbortSignal.timeout(input.timeoutMs) });
  } catch {
    return { ok: false, status: null, code: 'PeerUnavailable' };
  }
  if (response.status !== 200) {
    const code = await errorCodeOf(response);
    return { ok: false, status: response.status, code: code ?? (response.status === 404 ? 'NotFound' : response.status >= 500 ? 'PeerUnavailable' : 'BadResponse') };
  }
  const expected = ciphertextSize(manifest.size);
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > expected) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, status: 200, code: 'AttachmentTooLong' };
  }
  const reader = response.body?.getReader();
  const out = new Uint8Array(expected);
  let length = 0;
  let checked = 0;
  const stop = async (code: ErrorCode): Promise<FetchedAttachment> => {
    await reader?.cancel().catch(() => undefined);
    return { ok: false, status: 200, code };
  };
  try {
    for (;;) {
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) break;
      if (length + next.value.length > expected) return await stop('AttachmentTooLong');
      out.set(next.value, length);
      length += next.value.length;
      // every complete chunk is checked as soon as it is here
      while (checked < manifest.chunkSha256.length && Math.min(expected, (checked + 1) * CT_CHUNK) <= length) {
        if (!chunkMatches(manifest, checked, out.subarray(checked * CT_CHUNK, Math.min(expected, (checked + 1) * CT_CHUNK)))) return await stop('AttachmentCorrupt');
        checked++;
      }
    }
  } catch {
    return { ok: false, status: 200, code: 'PeerUnavailable' };
  }
  if (length < expected) return { ok: false, status: 200, code: 'AttachmentTruncated' };
  return { ok: true, ciphertext: out };
}

/** the code of an error answer (at most 4 KiB of it is read) */
async function errorCodeOf(response: Response): Promise<ErrorCode | null> {
  try {
    const reader = response.body?.getReader();
    if (!reader) return null;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      if (text.length > 4096) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
    }
    const code = (JSON.parse(text) as { error?: { code?: unknown } } | null)?.error?.code;
    return isErrorCode(code) ? code : null;
  } catch {
    return null;
  }
}
