import { type ErrorCode, type Result, fail, isErrorCode } from '../errors.js';
import type { SigningKey } from '../crypto/keys.js';
import { signRequest } from '../http-signature.js';
import { NodeDescriptor } from '../schemas/node-info.js';
import { parseJson, parseWith } from '../validation.js';

/**
 * The directory mirror client: signed GETs of a peer's directory (its signed manifest, entries by
 * hash, the entries it submits to the stewards). The peer is an untrusted mirror: whatever comes
 * back is only bytes, checked by the caller against signatures and hashes. Downloads are bounded
 * (a mirror cannot make us read more than the manifest allows), and this never throws.
 */

export const DIRECTORY_PATH = '/federation/v1/directory';
export const DIRECTORY_MEDIA_TYPE = 'application/json';
/** a manifest of 100,000 organisations is about 25 MB */
export const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

export interface MirrorRequest {
  fetch: typeof fetch;
  /** the peer's base URL */
  baseUrl: string;
  /** our node id and node key: the request is signed like every federation request */
  from: string;
  signer: SigningKey;
  /** unix seconds */
  now: number;
  nonce: string;
  timeoutMs: number;
}

export type Fetched = { ok: true; bytes: Uint8Array } | { ok: false; status: number | null; code: ErrorCode };

/** GETs `path` (under DIRECTORY_PATH) and reads at most `maxBytes` of the answer. */
export function fetchFromMirror(input: MirrorRequest, path: string, maxBytes: number): Promise<Fetched> {
  return signedGet(input, `${DIRECTORY_PATH}${path}`, maxBytes);
}

/** A signed federation GET of `absolutePath` on the peer (the directory mirror, the audit log's proofs). */
export async function signedGet(input: MirrorRequest, absolutePath: string, maxBytes: number): Promise<Fetched> {
  const url = `${input.baseUrl.replace(/\/+$/, '')}${absolutePath}`;
  let headers: Record<string, string>;
  try {
    headers = signRequest({ method: 'GET', url, contentType: DIRECTORY_MEDIA_TYPE, body: new Uint8Array(0), key: input.signer, node: input.from, created: input.now, nonce: input.nonce });
  } catch {
    return { ok: false, status: null, code: 'InvalidRequest' };
  }
  const { 'content-length': _length, ...sent } = headers;
  let response: Response | null = null;
  // a GET is safe to repeat: once more if the connection broke (a kept-alive socket the peer closed)
  for (let attempt = 0; attempt < 2 && !response; attempt++) {
    try {
      response = await input.fetch(url, { method: 'GET', headers: sent, signal: AbortSignal.timeout(input.timeoutMs) });
    } catch (error) {
      if (attempt === 1 || (error as Error).name === 'TimeoutError') return { ok: false, status: null, code: 'PeerUnavailable' };
    }
  }
  if (!response) return { ok: false, status: null, code: 'PeerUnavailable' };
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, status: response.status, code: 'TooLarge' };
  }
  const bytes = await readBounded(response, maxBytes);
  if (bytes === 'too-large') return { ok: false, status: response.status, code: 'TooLarge' };
  if (bytes === null) return { ok: false, status: response.status, code: 'PeerUnavailable' };
  if (response.status !== 200) return { ok: false, status: response.status, code: errorCodeOf(bytes) ?? (response.status === 404 ? 'NotFound' : 'BadResponse') };
  return { ok: true, bytes };
}

async function readBounded(response: Response, maxBytes: number): Promise<Uint8Array | 'too-large' | null> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return 'too-large';
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function errorCodeOf(bytes: Uint8Array): ErrorCode | null {
  try {
    const code = (JSON.parse(new TextDecoder().decode(bytes)) as { error?: { code?: unknown } } | null)?.error?.code;
    return isErrorCode(code) ? code : null;
  } catch {
    return null;
  }
}

/** A node's public descriptor (`/.well-known/corridor`): its prekeys, for a peer the directory named. */
export async function fetchDescriptor(fetchImpl: typeof fetch, baseUrl: string, timeoutMs: number): Promise<Result<NodeDescriptor, ErrorCode>> {
  let response: Response;
  try {
    response = await fetchImpl(`${baseUrl.replace(/\/+$/, '')}/.well-known/corridor`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return fail('PeerUnavailable');
  }
  const bytes = await readBounded(response, 256 * 1024);
  if (bytes === 'too-large') return fail('TooLarge');
  if (bytes === null || response.status !== 200) return fail('PeerUnavailable');
  const json = parseJson(new TextDecoder().decode(bytes));
  if (!json.ok) return fail('BadResponse');
  const parsed = parseWith(NodeDescriptor, json.value);
  return parsed.ok ? parsed : fail('BadResponse');
}
