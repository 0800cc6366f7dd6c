import {
  type BareItem,
  type Dictionary,
  type InnerList,
  type Item,
  type Parameters,
  isInnerList,
  parseDictionary,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
} from 'structured-headers';
import { KeyId, NodeId } from './ids.js';
import { type TrustedNodeKey, nodeKeyRevokedBy, nodeKeyStatusAt } from './identity.js';
import type { SigningKey } from './crypto/keys.js';
import { ed25519Verify, sha256 } from './crypto/native.js';

/**
 * The transport signature on every federation request: RFC 9421 HTTP Message Signatures with
 * an RFC 9530 Content-Digest, built by hand (docs/adr/0008). One label, one fixed list of
 * covered components, Ed25519 fixed by the key (an `alg` parameter is never trusted), `tag`
 * as the domain separation, and a 300-second window. Nonce replay memory is the node's job.
 */

export const SIGNATURE_LABEL = 'corridor';
export const SIGNATURE_TAG = 'corridor/1';
export const SIGNATURE_WINDOW_SECONDS = 300;

/** The covered components, exactly and in this order. */
const COVERED = ['@method', '@target-uri', 'content-digest', 'content-type', 'content-length'] as const;
const KNOWN_PARAMS = new Set(['created', 'expires', 'nonce', 'keyid', 'tag', 'alg']);
/** Signature-Input, Signature and Content-Digest longer than this are refused unparsed. */
const MAX_FIELD_CHARS = 4096;
/** a nonce is 16-128 visible ASCII characters (base64url of 16 random bytes is 22) */
const NONCE = /^[\x21-\x7e]{16,128}$/;
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** a component value that can stand on one line of the signature base: visible ASCII and inner spaces */
const LINE_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;

const encoder = new TextEncoder();
const noParams = (): Parameters => new Map();

/** RFC 9530 Content-Digest header value for a body: `sha-256=:<base64>:` */
export function contentDigest(body: Uint8Array): string {
  return serializeDictionary(new Map([['sha-256', [sha256(body), noParams()]]]));
}

/** The node key id a signature names: `node:astra#nsk-XXXXXXXXXXXXXXXX` */
export function signatureKeyId(node: string, kid: string): string {
  return `${node}#${kid}`;
}

function base(components: readonly (readonly [string, string])[], params: Parameters): string {
  const lines: string[] = [];
  for (const [name, value] of components) {
    if (!LINE_VALUE.test(value)) throw new RangeError('a component value must be visible ASCII on one line');
    lines.push(`${serializeItem(name, noParams())}: ${value}`);
  }
  const inner: InnerList = [components.map(([name]): Item => [name, noParams()]), params];
  lines.push(`"@signature-params": ${serializeInnerList(inner)}`);
  return lines.join('\n');
}

/**
 * RFC 9421 section 2.5: the signature base, one `"name": value` line per covered component
 * (names are lowercase field names or derived components) and the `"@signature-params"` line,
 * no trailing newline. Numbers are sf-integers, strings sf-strings.
 */
export function signatureBase(
  components: readonly (readonly [name: string, value: string])[],
  params: readonly (readonly [name: string, value: string | number])[],
): string {
  return base(components, new Map<string, BareItem>(params));
}

/** RFC 9110 target URI: absolute http(s), no userinfo, no fragment, WHATWG-normalised. */
function targetUri(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username !== '' || u.password !== '') return null;
  u.hash = '';
  return u.href;
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export interface SignRequestInput {
  method: string;
  /** absolute target URI, e.g. http://127.0.0.1:4001/federation/v1/inbox/01J... */
  url: string;
  contentType: string;
  /** content-length and content-digest are derived from the body */
  body: Uint8Array;
  /** the node's signing key (kind 'node') */
  key: SigningKey;
  node: string;
  /** unix seconds from the caller's clock */
  created: number;
  /** e.g. base64url of 16 random bytes; 16-128 visible ASCII characters */
  nonce: string;
}

/**
 * Returns the headers to send: content-type, content-length, content-digest, signature-input,
 * signature. `expires` is `created + 300`; no `alg` parameter (the key fixes the algorithm).
 * Pass the method as it goes on the wire (fetch uppercases the standard ones). Throws on a
 * caller error (wrong key kind, bad node id, URL, method, content type, time or nonce).
 */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const { key, node, created, nonce, method, contentType, body } = input;
  if (key.kind !== 'node') throw new TypeError('requests are signed with a node key');
  if (!NodeId.safeParse(node).success) throw new TypeError('not a node id');
  if (!isTime(created)) throw new RangeError('created must be unix seconds');
  if (!NONCE.test(nonce)) throw new RangeError('a nonce is 16-128 visible ASCII characters');
  if (!METHOD.test(method)) throw new TypeError('not an HTTP method');
  if (!LINE_VALUE.test(contentType) || contentType === '') throw new TypeError('not a content type');
  const target = targetUri(input.url);
  if (target === null) throw new TypeError('not an absolute http(s) URL');
  const digest = contentDigest(body);
  const length = String(body.length);
  const values = [method, target, digest, contentType, length];
  const components = COVERED.map((name, i): [string, string] => [name, values[i] ?? '']);
  const params: Parameters = new Map<string, BareItem>([
    ['created', created],
    ['expires', created + SIGNATURE_WINDOW_SECONDS],
    ['nonce', nonce],
    ['keyid', signatureKeyId(node, key.kid)],
    ['tag', SIGNATURE_TAG],
  ]);
  const signature = key.sign(encoder.encode(base(components, params)));
  const inner: InnerList = [COVERED.map((name): Item => [name, noParams()]), params];
  return {
    'content-type': contentType,
    'content-length': length,
    'content-digest': digest,
    'signature-input': serializeDictionary(new Map([[SIGNATURE_LABEL, inner]])),
    signature: serializeDictionary(new Map([[SIGNATURE_LABEL, [signature, noParams()]]])),
  };
}

export interface VerifiedRequest {
  node: string;
  kid: string;
  created: number;
  expires: number;
  nonce: string;
}

export type RequestSignatureProblem =
  | 'MissingSignature'
  | 'MalformedSignature'
  | 'WrongComponents'
  | 'WrongTag'
  | 'AlgorithmMismatch'
  | 'UnknownKey'
  | 'BadSignature'
  | 'Stale'
  | 'FromTheFuture'
  | 'WindowTooLong'
  | 'DigestMismatch'
  | 'LengthMismatch'
  | 'KeyNotValid';

export type RequestVerification = { ok: true; value: VerifiedRequest } | { ok: false; problem: RequestSignatureProblem };

export interface VerifyRequestInput {
  method: string;
  url: string;
  /** a Fetch Headers or Hono's c.req.raw.headers: case-insensitive, repeated fields joined by ", " */
  headers: { get(name: string): string | null };
  body: Uint8Array;
  now: number;
  resolveKey: (node: string, kid: string) => TrustedNodeKey | undefined;
}

const refuse = (problem: RequestSignatureProblem): RequestVerification => ({ ok: false, problem });

function parseDict(text: string): Dictionary | null {
  try {
    return parseDictionary(text);
  } catch {
    return null;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Checks the `corridor` signature of a request; never throws (every refusal is a problem).
 * Order: headers parse, components, tag, alg, parameters, time window, key id, key and its
 * validity at `created`, content-length, content-digest, then the Ed25519 signature.
 */
export function verifyRequest(input: VerifyRequestInput): RequestVerification {
  try {
    return verify(input);
  } catch {
    return refuse('MalformedSignature'); // a last resort: nothing above is meant to throw
  }
}

function verify({ method, url, headers, body, now, resolveKey }: VerifyRequestInput): RequestVerification {
  const field = (name: string): string | null => {
    const value: unknown = headers.get(name);
    return typeof value === 'string' ? value.replace(/^[ \t]+|[ \t]+$/g, '') : null;
  };
  const inputField = field('signature-input');
  const signatureField = field('signature');
  if (inputField === null && signatureField === null) return refuse('MissingSignature');
  if ((inputField ?? '').length > MAX_FIELD_CHARS || (signatureField ?? '').length > MAX_FIELD_CHARS) return refuse('MalformedSignature');
  const inputs = parseDict(inputField ?? '');
  const signatures = parseDict(signatureField ?? '');
  if (!inputs || !signatures) return refuse('MalformedSignature');
  const member = inputs.get(SIGNATURE_LABEL);
  const signatureMember = signatures.get(SIGNATURE_LABEL);
  if (member === undefined || signatureMember === undefined) return refuse('MissingSignature');
  if (!isInnerList(member) || isInnerList(signatureMember)) return refuse('MalformedSignature');
  const signature = signatureMember[0];
  if (!(signature instanceof ArrayBuffer) || signature.byteLength !== 64) return refuse('MalformedSignature');

  const [items, params] = member;
  if (items.length !== COVERED.length || items.some(([name, p], i) => name !== COVERED[i] || p.size !== 0)) return refuse('WrongComponents');
  if (params.get('tag') !== SIGNATURE_TAG) return refuse('WrongTag');
  if (params.has('alg') && params.get('alg') !== 'ed25519') return refuse('AlgorithmMismatch');
  for (const name of params.keys()) if (!KNOWN_PARAMS.has(name)) return refuse('MalformedSignature');
  const created = params.get('created');
  const expires = params.get('expires');
  const nonce = params.get('nonce');
  const keyid = params.get('keyid');
  if (!isTime(created) || !isTime(expires) || typeof nonce !== 'string' || !NONCE.test(nonce) || typeof keyid !== 'string') {
    return refuse('MalformedSignature');
  }

  if (expires - created <= 0 || expires - created > SIGNATURE_WINDOW_SECONDS) return refuse('WindowTooLong');
  if (created > now + SIGNATURE_WINDOW_SECONDS) return refuse('FromTheFuture');
  if (now > expires || now - created > SIGNATURE_WINDOW_SECONDS) return refuse('Stale');

  const hash = keyid.indexOf('#');
  const node = keyid.slice(0, hash);
  const kid = keyid.slice(hash + 1);
  if (hash < 0 || !NodeId.safeParse(node).success || !KeyId.safeParse(kid).success || !kid.startsWith('nsk-')) {
    return refuse('MalformedSignature');
  }
  const key = resolveKey(node, kid);
  if (!key || key.node !== node || key.kid !== kid) return refuse('UnknownKey');
  if (nodeKeyStatusAt(key, created) !== null || nodeKeyRevokedBy(key, now)) return refuse('KeyNotValid');

  const length = field('content-length');
  if (length === null || length !== String(body.length)) return refuse('LengthMismatch');
  const digestField = field('content-digest');
  if (digestField === null || digestField.length > MAX_FIELD_CHARS) return refuse('DigestMismatch');
  const digests = parseDict(digestField);
  const sha = digests?.get('sha-256');
  if (!sha || isInnerList(sha) || !(sha[0] instanceof ArrayBuffer) || !sameBytes(new Uint8Array(sha[0]), sha256(body))) {
    return refuse('DigestMismatch');
  }

  const contentType = field('content-type');
  const target = targetUri(url);
  const values = [method, target, digestField, contentType, length];
  if (values.some((v) => v === null || !LINE_VALUE.test(v))) return refuse('BadSignature');
  const components = COVERED.map((name, i): [string, string] => [name, values[i] ?? '']);
  const signed = encoder.encode(base(components, params));
  if (!ed25519Verify(key.publicKey, signed, new Uint8Array(signature))) return refuse('BadSignature');
  return { ok: true, value: { node, kid, created, expires, nonce } };
}
