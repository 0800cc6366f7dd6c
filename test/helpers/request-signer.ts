import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { type BareItem, type Item, serializeDictionary } from 'structured-headers';
import {
  ENVELOPE_MEDIA_TYPE,
  type SigningKey,
  contentDigest,
  signRequest,
  signatureBase,
  signatureKeyId,
  toBase64Url,
} from '../../protocol/index.js';

/**
 * The attacker's request signatures (RFC 9421) on the inbox: `signed` makes them exactly as a
 * peer's federation client does (protocol signRequest); `crafted` is the hand-made signer, any
 * components, parameters and label, the signature bytes mangled at will, yet correctly signed by
 * the key over the base they define. Nonces come from the system CSPRNG so that no two requests
 * share one by accident.
 */

/** who signs, and the receiver's URL as it signs target URIs: the part of the material a signature needs */
export interface SigningPeer {
  /** http://127.0.0.1:port of the receiver, exactly as it signs target URIs */
  base: string;
  host: string;
  port: number;
  sender: string;
  /** the sender's real node key (read from its database): correctly signed requests */
  key: SigningKey;
  /** unix seconds */
  now(): number;
}

const encoder = new TextEncoder();
export const COVERED = ['@method', '@target-uri', 'content-digest', 'content-type', 'content-length'] as const;

export const nonce = (): string => toBase64Url(new Uint8Array(cryptoRandomBytes(16)));

export interface SignOptions {
  method?: string;
  created?: number;
  nonce?: string;
  contentType?: string;
  key?: SigningKey;
  node?: string;
  /** sign this URL instead of the one the request goes to */
  url?: string;
}

/** Headers exactly as a peer's federation client makes them (protocol signRequest). */
export function signed(m: SigningPeer, path: string, body: Uint8Array, o: SignOptions = {}): Record<string, string> {
  return signRequest({
    method: o.method ?? 'PUT',
    url: o.url ?? `${m.base}${path}`,
    contentType: o.contentType ?? ENVELOPE_MEDIA_TYPE,
    body,
    key: o.key ?? m.key,
    node: o.node ?? m.sender,
    created: o.created ?? m.now(),
    nonce: o.nonce ?? nonce(),
  });
}

export interface CraftOptions {
  components?: readonly string[];
  /** component name → value, overriding the honest ones */
  values?: Record<string, string>;
  /** every parameter, in order (defaults: created, expires, nonce, keyid, tag) */
  params?: readonly (readonly [string, BareItem])[];
  key?: SigningKey;
  label?: string;
  /** what is done to the 64 signature bytes before they are sent */
  mangle?: (signature: Uint8Array) => Uint8Array;
}

/**
 * A hand-made RFC 9421 signature: any components and parameters, correctly signed by the key
 * over the base they define. With the defaults it is exactly what signRequest makes.
 */
export function crafted(m: SigningPeer, path: string, body: Uint8Array, o: CraftOptions = {}): Record<string, string> {
  const created = m.now();
  const honest: Record<string, string> = {
    '@method': 'PUT',
    '@target-uri': `${m.base}${path}`,
    '@path': path,
    '@authority': `${m.host}:${m.port}`,
    'content-digest': contentDigest(body),
    'content-type': ENVELOPE_MEDIA_TYPE,
    'content-length': String(body.length),
    host: `${m.host}:${m.port}`,
    date: new Date(created * 1000).toUTCString(),
    ...o.values,
  };
  const components = o.components ?? COVERED;
  const key = o.key ?? m.key;
  const params = o.params ?? defaultParams(m, created);
  const base = signatureBase(
    components.map((n) => [n, honest[n] ?? ''] as const),
    params.map(([k, v]) => [k, v as string | number] as const),
  );
  let signature = key.sign(encoder.encode(base));
  if (o.mangle) signature = o.mangle(signature);
  const label = o.label ?? 'corridor';
  const inner: [Item[], Map<string, BareItem>] = [components.map((n): Item => [n, new Map()]), new Map(params)];
  return {
    'content-type': honest['content-type'] ?? ENVELOPE_MEDIA_TYPE,
    'content-length': String(body.length),
    'content-digest': honest['content-digest'] ?? '',
    'signature-input': serializeDictionary(new Map([[label, inner]])),
    signature: serializeDictionary(new Map([[label, [signature, new Map()]]])),
  };
}

export function defaultParams(m: SigningPeer, created = m.now(), key: SigningKey = m.key): [string, BareItem][] {
  return [
    ['created', created],
    ['expires', created + 300],
    ['nonce', nonce()],
    ['keyid', signatureKeyId(m.sender, key.kid)],
    ['tag', 'corridor/1'],
  ];
}

/** the parameters with one value replaced, order kept */
export function withParam(params: [string, BareItem][], name: string, value: BareItem): [string, BareItem][] {
  return params.map(([k, v]) => [k, k === name ? value : v]);
}
