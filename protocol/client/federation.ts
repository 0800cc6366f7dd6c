import { type ErrorCode, isErrorCode } from '../errors.js';
import type { SigningKey } from '../crypto/keys.js';
import { sha256, toBase64Url } from '../crypto/native.js';
import { signRequest } from '../http-signature.js';
import type { TrustedNodeKey } from '../identity.js';
import type { DeliveryReceipt, SignedDeliveryReceipt } from '../schemas/control.js';
import { verifyReceipt } from '../signed-records.js';
import { ENVELOPE_MEDIA_TYPE } from '../version.js';

/**
 * The federation client: PUTs one sealed envelope to a peer's inbox with an RFC 9421 signature
 * and classifies the answer. `fetch` is injected (the node's, or a test's). It never throws:
 * every outcome is a value the outbox can act on.
 */

export const INBOX_PATH = '/federation/v1/inbox/';

export type DeliveryOutcome =
  /** the peer stored it and signed a receipt that verifies */
  | { kind: 'delivered'; receipt: SignedDeliveryReceipt; status: number }
  /** try again later: network error, timeout, 408/425/429, 5xx, or an answer that does not verify */
  | { kind: 'retry'; status: number | null; code: ErrorCode; retryAfterMs: number | null }
  /** will never succeed as it is: a 4xx other than 408/425/429 (409: same id, other bytes) */
  | { kind: 'permanent'; status: number; code: ErrorCode };

export interface DeliverInput {
  fetch: typeof fetch;
  /** the peer's base URL, e.g. http://127.0.0.1:4001 */
  baseUrl: string;
  envelope: Uint8Array;
  id: string;
  from: string;
  to: string;
  signer: SigningKey;
  receiverKeys: (kid: string) => TrustedNodeKey | undefined;
  /** unix seconds, from the caller's clock */
  now: number;
  nonce: string;
  timeoutMs: number;
}

const RETRYABLE = new Set([408, 425, 429]);

export async function deliverEnvelope(input: DeliverInput): Promise<DeliveryOutcome> {
  const url = `${input.baseUrl.replace(/\/+$/, '')}${INBOX_PATH}${input.id}`;
  let headers: Record<string, string>;
  try {
    headers = signRequest({ method: 'PUT', url, contentType: ENVELOPE_MEDIA_TYPE, body: input.envelope, key: input.signer, node: input.from, created: input.now, nonce: input.nonce });
  } catch {
    // a peer URL or id this node cannot sign a request for: retrying will not help
    return { kind: 'permanent', status: 0, code: 'InvalidRequest' };
  }
  let response: Response;
  try {
    response = await input.fetch(url, { method: 'PUT', headers, body: input.envelope, signal: AbortSignal.timeout(input.timeoutMs) });
  } catch {
    return { kind: 'retry', status: null, code: 'PeerUnavailable', retryAfterMs: null };
  }
  const status = response.status;
  let text: string;
  try {
    text = await response.text();
  } catch {
    return { kind: 'retry', status, code: 'PeerUnavailable', retryAfterMs: null };
  }
  if (status === 200 || status === 201 || status === 202) {
    const receipt = checkReceipt(text, input);
    return receipt ? { kind: 'delivered', receipt, status } : { kind: 'retry', status, code: 'BadResponse', retryAfterMs: null };
  }
  const code = errorCodeOf(text);
  if (status >= 500 || RETRYABLE.has(status)) {
    return { kind: 'retry', status, code: code ?? (status === 429 ? 'RateLimited' : 'PeerUnavailable'), retryAfterMs: retryAfter(response.headers.get('retry-after'), input.now) };
  }
  if (status >= 400) return { kind: 'permanent', status, code: code ?? 'Rejected' };
  return { kind: 'retry', status, code: 'BadResponse', retryAfterMs: null };
}

function checkReceipt(text: string, input: DeliverInput): SignedDeliveryReceipt | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const kid = (json as { receipt?: { kid?: unknown } } | null)?.receipt?.kid;
  const key = typeof kid === 'string' ? input.receiverKeys(kid) : undefined;
  if (!key || key.node !== input.to) return null;
  const verified = verifyReceipt(json, key);
  if (!verified.ok) return null;
  const receipt: DeliveryReceipt = verified.value;
  const expected = toBase64Url(sha256(input.envelope));
  if (receipt.id !== input.id || receipt.from !== input.from || receipt.to !== input.to || receipt.ctSha256 !== expected) return null;
  return json as SignedDeliveryReceipt;
}

function errorCodeOf(text: string): ErrorCode | null {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } } | null)?.error?.code;
    return isErrorCode(code) ? code : null;
  } catch {
    return null;
  }
}

// RFC 9110 5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept
const HTTP_DATE = [
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{2}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 10.2.3), in ms from now; bounded to 7 days. */
export function retryAfter(value: string | null, nowSeconds: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d{1,9}$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    if (!HTTP_DATE.some((re) => re.test(trimmed))) return null;
    const at = Date.parse(/GMT$/.test(trimmed) ? trimmed : `${trimmed} GMT`);
    if (Number.isNaN(at)) return null;
    ms = at - nowSeconds * 1000;
  }
  return Math.max(0, Math.min(ms, 7 * 24 * 3600 * 1000));
}
