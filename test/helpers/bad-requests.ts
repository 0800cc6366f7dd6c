import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { type BareItem, type Item, serializeDictionary } from 'structured-headers';
import {
  ENVELOPE_MEDIA_TYPE,
  type SigningKey,
  contentDigest,
  newId,
  signRequest,
  signatureBase,
  signatureKeyId,
  toBase64Url,
} from '../../protocol/index.js';

/**
 * An attacker's (or a broken peer's) HTTP requests against a node's inbox
 * (`PUT /federation/v1/inbox/{id}`): garbage, truncated, oversized, wrongly signed, replayed,
 * wrong-digest and bit-flipped envelopes, wrong paths and methods, lying framing. Every case
 * says what answer it must get: the exact `Unauthenticated` 401 when the request signature
 * cannot verify, otherwise a set of allowed 4xx statuses. Choices come from a seeded PRNG (the
 * seed is printed, so a failure can be replayed); nonces come from the system CSPRNG so that no
 * two requests share one by accident.
 */

// ---------------------------------------------------------------------------------------------
// seeded PRNG (sfc32, seeded through splitmix32)

export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** 0 <= n < max */
  int(max: number): number {
    return Math.floor((this.u32() / 0x1_0000_0000) * max);
  }

  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  bool(p = 0.5): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** visible ASCII */
  text(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(0x21 + this.int(94));
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// requests and answers

export interface Wire {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** send the body chunked (no content-length) */
  chunked?: boolean;
}

/** Bytes written as they are on a fresh connection (lying framing, bad Host, bad header bytes). */
export interface RawWire {
  raw: Buffer;
  /** end the connection's sending side after the bytes (an upload cut short) */
  halfClose?: boolean;
}

/** `'unauthenticated'`: exactly the 401 every unverifiable request gets; else the allowed statuses */
export type Expectation = 'unauthenticated' | readonly number[];

export interface Step {
  wire: Wire | RawWire;
  expect: Expectation;
}

export interface BadCase {
  cls: string;
  variant: string;
  /** how many requests steps() makes */
  requests: number;
  /** built when sent (signatures carry the time they are made); several steps run in order */
  steps(): Step[];
}

export interface Answer {
  /** every response status read, in order (a raw connection may carry several) */
  statuses: number[];
  bodies: string[];
  /** a connection error or timeout before any response */
  error?: string;
  /** content-type, content-length and the sorted header names (without date and connection ones) */
  shape?: string;
}

export const isRaw = (w: Wire | RawWire): w is RawWire => 'raw' in w;

export async function send(target: { host: string; port: number; agent: Agent }, wire: Wire | RawWire, timeoutMs = 20_000): Promise<Answer> {
  return isRaw(wire) ? sendRaw(target, wire, Math.min(timeoutMs, 3000)) : sendHttp(target, wire, timeoutMs);
}

function sendHttp(target: { host: string; port: number; agent: Agent }, wire: Wire, timeoutMs: number): Promise<Answer> {
  return new Promise<Answer>((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      own?.destroy();
      resolve(a);
    };
    // a big body goes on its own (keep-alive) connection: the server answers 413 before reading
    // it, then reads and drops the rest; asking for `Connection: close` instead makes it close
    // while the body is still being written, and the client may see EPIPE before the 413
    const big = wire.body.length > 1024 * 1024;
    const own = big ? new Agent({ keepAlive: true, maxSockets: 1 }) : null;
    const req = httpRequest({ host: target.host, port: target.port, method: wire.method, path: wire.path, headers: wire.headers, agent: own ?? target.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      const names = Object.keys(res.headers).filter((n) => !['date', 'connection', 'keep-alive'].includes(n)).sort();
      const shape = `${res.headers['content-type'] ?? ''}|${res.headers['content-length'] ?? ''}|${names.join(',')}`;
      res.on('end', () => done({ statuses: [res.statusCode ?? 0], bodies: [Buffer.concat(chunks).toString('utf8')], shape }));
      res.on('error', () => done({ statuses: [res.statusCode ?? 0], bodies: [Buffer.concat(chunks).toString('utf8')] }));
    });
    // a server may close the connection while a refused oversized body is still being written;
    // that is only a failure when no response came first
    let response: { status: number } | null = null;
    req.on('socket', (socket) => {
      if (big) socket.on('error', () => undefined); // EPIPE while writing what the server refused
    });
    req.on('response', (res) => {
      response = { status: res.statusCode ?? 0 };
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (response) done({ statuses: [response.status], bodies: [''] });
      else done({ statuses: [], bodies: [], error: `${e.code ?? e.name}: ${e.message}` });
    });
    const timer = setTimeout(() => {
      req.destroy(new Error('timeout'));
      done({ statuses: [], bodies: [], error: 'timeout' });
    }, timeoutMs);
    if (wire.chunked) {
      const chunk = 64 * 1024;
      let offset = 0;
      const pump = () => {
        while (offset < wire.body.length) {
          const part = wire.body.subarray(offset, offset + chunk);
          offset += part.length;
          if (!req.write(part)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    } else {
      req.end(wire.body);
    }
  });
}

/** Reads every `HTTP/1.x NNN` response on a connection until it closes (or the time is up). */
function sendRaw(target: { host: string; port: number }, wire: RawWire, timeoutMs: number): Promise<Answer> {
  return new Promise<Answer>((resolve) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const socket = connect({ host: target.host, port: target.port });
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses: number[] = [];
      const bodies: string[] = [];
      const re = /HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        statuses.push(Number(m[1]));
        const length = /(?:^|\r\n)content-length: *(\d+)/i.exec(m[2] ?? '');
        const start = m.index + m[0].length;
        bodies.push(length ? text.slice(start, start + Number(length[1])) : '');
      }
      resolve(statuses.length > 0 ? { statuses, bodies } : { statuses, bodies, error: error ?? 'no response' });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = `${e.code ?? e.name}: ${e.message}`;
    });
    socket.on('close', finish);
    socket.on('connect', () => {
      if (wire.halfClose) socket.end(wire.raw);
      else socket.write(wire.raw);
    });
  });
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i] as T, i);
  });
  await Promise.all(workers);
}

// ---------------------------------------------------------------------------------------------
// the attacker's material

export interface Material {
  rng: Rng;
  /** http://127.0.0.1:port of the receiver, exactly as it signs target URIs */
  base: string;
  host: string;
  port: number;
  sender: string;
  /** the sender's real node key (read from its database): correctly signed requests */
  key: SigningKey;
  receiver: string;
  /** a valid envelope the receiver has already stored (same id, other bytes → 409) */
  delivered: { id: string; envelope: Uint8Array };
  /** a valid envelope for the receiver that it has never seen (a small pool, reused) */
  fresh(): { id: string; envelope: Uint8Array };
  /** unix seconds */
  now(): number;
}

const encoder = new TextEncoder();
export const INBOX = '/federation/v1/inbox/';
const COVERED = ['@method', '@target-uri', 'content-digest', 'content-type', 'content-length'] as const;

export const nonce = (): string => toBase64Url(new Uint8Array(cryptoRandomBytes(16)));

/** `u16be(H) ‖ header`: where the outer header ends */
export const headerEnd = (envelope: Uint8Array): number => 2 + (((envelope[0] ?? 0) << 8) | (envelope[1] ?? 0));

export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const i = bit >>> 3;
  out[i] = (out[i] ?? 0) ^ (1 << (bit & 7));
  return out;
}

export function headerText(envelope: Uint8Array): string {
  return Buffer.from(envelope.subarray(2, headerEnd(envelope))).toString('utf8');
}

/** byte ranges (in the envelope) of the outer header's `prekey` and `expires` values */
export function mutableHeaderValues(envelope: Uint8Array): [number, number][] {
  const text = headerText(envelope);
  const out: [number, number][] = [];
  const p = text.indexOf('"prekey":"');
  if (p >= 0) {
    const start = p + '"prekey":"'.length;
    out.push([2 + start, 2 + text.indexOf('"', start)]);
  }
  const e = text.indexOf('"expires":');
  if (e >= 0) {
    const start = e + '"expires":'.length;
    out.push([2 + start, 2 + text.indexOf('}', start)]);
  }
  return out;
}

export function u16(n: number): Uint8Array {
  return Uint8Array.of((n >>> 8) & 0xff, n & 0xff);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

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
export function signed(m: Material, path: string, body: Uint8Array, o: SignOptions = {}): Record<string, string> {
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
export function crafted(m: Material, path: string, body: Uint8Array, o: CraftOptions = {}): Record<string, string> {
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

export function defaultParams(m: Material, created = m.now(), key: SigningKey = m.key): [string, BareItem][] {
  return [
    ['created', created],
    ['expires', created + 300],
    ['nonce', nonce()],
    ['keyid', signatureKeyId(m.sender, key.kid)],
    ['tag', 'corridor/1'],
  ];
}

const put = (path: string, headers: Record<string, string>, body: Uint8Array): Wire => ({ method: 'PUT', path, headers, body });
const UNAUTH = 'unauthenticated' as const;
/** an authenticated peer sent something the transport refuses (never 401: the signature was good) */
const REFUSED = [400, 409] as const;

// ---------------------------------------------------------------------------------------------
// the classes

/** (1) garbage bodies, correctly signed */
export function garbage(m: Material): BadCase {
  const r = m.rng;
  const id = r.bool() ? m.delivered.id : r.bool() ? newId(Date.now()) : m.fresh().id;
  const path = `${INBOX}${id}`;
  const header = (h: string) => {
    const bytes = encoder.encode(h);
    return concat(u16(bytes.length), bytes, r.bytes(r.range(0, 300)));
  };
  const honest = `{"v":"corridor/1","id":"${id}","to":"${m.receiver}","prekey":"spk-AAAAAAAAAAAAAAAA","expires":${m.now() + 86_400}}`;
  const variants: [string, () => Uint8Array][] = [
    ['random-bytes', () => r.bytes(r.pick([0, 1, 2, 3, r.range(4, 64), r.range(64, 4096)]))],
    ['random-text', () => encoder.encode(r.text(r.range(1, 2048)))],
    ['json-not-envelope', () => encoder.encode(JSON.stringify({ v: 'corridor/1', id, to: m.receiver, box: r.text(40) }))],
    ['length-prefix-random', () => concat(u16(r.range(0, 65535)), r.bytes(r.range(0, 2048)))],
    ['header-length-zero', () => concat(u16(0), r.bytes(r.range(0, 200)))],
    ['header-length-over-1024', () => concat(u16(r.range(1025, 65535)), encoder.encode(honest), r.bytes(r.range(1100, 3000)))],
    ['header-length-past-end', () => header(honest).subarray(0, r.range(2, 40))],
    ['header-reordered', () => header(`{"id":"${id}","v":"corridor/1","to":"${m.receiver}","prekey":"spk-AAAAAAAAAAAAAAAA","expires":${m.now() + 86_400}}`)],
    ['header-whitespace', () => header(honest.replace(',', ', '))],
    ['header-extra-key', () => header(honest.replace('}', ',"from":"node:x"}'))],
    ['header-missing-key', () => header(honest.replace(`,"to":"${m.receiver}"`, ''))],
    ['header-duplicate-key', () => header(honest.replace('{', `{"id":"${id}",`))],
    ['header-wrong-version', () => header(honest.replace('corridor/1', r.pick(['corridor/2', 'corridor/0', '', 'x'.repeat(32)])))],
    ['header-wrong-recipient', () => header(honest.replace(m.receiver, r.pick(['node:elsewhere', m.sender])))],
    ['header-bad-types', () => header(honest.replace(/"expires":\d+/, r.pick(['"expires":"soon"', '"expires":-1', '"expires":1.5', '"expires":1e9', '"expires":null'])))],
    ['header-escaped', () => header(honest.replace('corridor/1', 'corridor\\/1'))],
    ['header-invalid-utf8', () => concat(u16(6), Uint8Array.of(0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d), r.bytes(64))],
    ['header-not-object', () => header(r.pick(['[]', 'null', '"corridor/1"', '42', 'true', '{}']))],
    ['delivered-id-random-box', () => header(`{"v":"corridor/1","id":"${m.delivered.id}","to":"${m.receiver}","prekey":"spk-AAAAAAAAAAAAAAAA","expires":${m.now() + 86_400}}`)],
  ];
  const [variant, make] = r.pick(variants);
  // the delivered id in the header only matches a URL carrying it; otherwise the URL differs
  const steps = (): Step[] => {
    const body = make();
    return [{ wire: put(path, signed(m, path, body), body), expect: REFUSED }];
  };
  return { cls: '1 garbage, signed', variant, requests: 1, steps };
}

/** (2) valid envelopes cut short, correctly signed */
export function truncated(m: Material): BadCase {
  const r = m.rng;
  if (r.bool(0.6)) {
    // the stored envelope cut anywhere: a broken header is Malformed, an intact one 409 (id seen, other bytes)
    const cut = r.int(m.delivered.envelope.length);
    const path = `${INBOX}${m.delivered.id}`;
    return {
      cls: '2 truncated, signed',
      requests: 1,
      variant: cut < headerEnd(m.delivered.envelope) ? 'stored-envelope-in-header' : 'stored-envelope-in-box',
      steps: () => {
        const body = m.delivered.envelope.subarray(0, cut);
        return [{ wire: put(path, signed(m, path, body), body), expect: REFUSED }];
      },
    };
  }
  // a never-seen envelope cut inside its length prefix or header: the transport must refuse it
  // (cut inside the box, the header is intact and the transport stores it: see the 7b test)
  const fresh = m.fresh();
  const cut = r.int(headerEnd(fresh.envelope));
  const path = `${INBOX}${fresh.id}`;
  return {
    cls: '2 truncated, signed',
    requests: 1,
    variant: 'fresh-envelope-in-header',
    steps: () => {
      const body = fresh.envelope.subarray(0, cut);
      return [{ wire: put(path, signed(m, path, body), body), expect: [400] }];
    },
  };
}

/** (3) oversized bodies: over the 4 MiB limit, signed or not, chunked, a lying content-length */
export function oversized(m: Material, i: number): BadCase {
  const r = m.rng;
  const limit = 4 * 1024 * 1024;
  const id = m.delivered.id;
  const path = `${INBOX}${id}`;
  const big = (n: number) => {
    const b = new Uint8Array(n);
    b.set(m.delivered.envelope.subarray(0, Math.min(n, m.delivered.envelope.length)));
    b.set(r.bytes(256), n - 256);
    return b;
  };
  const variants: [string, () => Step[]][] = [
    ['signed-limit-plus-1', () => { const b = big(limit + 1); return [{ wire: put(path, signed(m, path, b), b), expect: [413] }]; }],
    ['signed-5MiB', () => { const b = big(5 * 1024 * 1024); return [{ wire: put(path, signed(m, path, b), b), expect: [413] }]; }],
    ['unsigned-limit-plus-1', () => { const b = big(limit + 1); return [{ wire: put(path, { 'content-type': ENVELOPE_MEDIA_TYPE }, b), expect: [413] }]; }],
    ['signed-chunked-5MiB', () => {
      const b = big(5 * 1024 * 1024);
      const h = signed(m, path, b);
      delete h['content-length'];
      return [{ wire: { ...put(path, h, b), chunked: true }, expect: [413] }];
    }],
    ['lying-content-length-64MiB', () => {
      const b = r.bytes(100);
      const h = { ...signed(m, path, b), 'content-length': String(64 * 1024 * 1024) };
      return [{ wire: raw('PUT', path, m, h, b), expect: [413] }];
    }],
    ['lying-content-length-short', () => {
      // content-length 10, signed for those 10 bytes; the rest is read as a second request
      const b = r.bytes(200);
      const h = signed(m, path, b.subarray(0, 10));
      return [{ wire: raw('PUT', path, m, h, b), expect: [400, 401, 409] }];
    }],
    ['lying-content-length-short-unsigned', () => {
      const b = r.bytes(200);
      const h = { ...signed(m, path, b), 'content-length': '10' };
      return [{ wire: raw('PUT', path, m, h, b), expect: [400, 401] }];
    }],
  ];
  const [variant, steps] = variants[i % variants.length] as [string, () => Step[]];
  return { cls: '3 oversized / lying length', variant, requests: 1, steps };
}

function raw(method: string, path: string, m: Material, headers: Record<string, string>, body: Uint8Array, extra = ''): RawWire {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${m.host}:${m.port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
  return { raw: Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n${extra}\r\n`, 'latin1'), Buffer.from(body)]) };
}

/** the body for a request whose signature is wrong: an envelope that would be stored if it were right */
function bodyFor(m: Material): { id: string; body: Uint8Array } {
  const r = m.rng;
  if (r.bool(0.5)) {
    const f = m.fresh();
    return { id: f.id, body: f.envelope };
  }
  if (r.bool(0.6)) return { id: m.delivered.id, body: m.delivered.envelope };
  return { id: m.delivered.id, body: r.bytes(r.range(0, 512)) };
}

/** (4) wrongly signed: every way the RFC 9421 signature can be wrong */
export function wronglySigned(m: Material, other: SigningKey): BadCase {
  const r = m.rng;
  const { id, body } = bodyFor(m);
  const path = `${INBOX}${id}`;
  const flip = (s: Uint8Array) => flipBit(s, r.int(512));
  const variants: [string, () => Record<string, string>][] = [
    // another key signs, the keyid names the sender's real key
    ['other-key-sender-keyid', () => crafted(m, path, body, { key: other })],
    ['other-key-own-keyid', () => signed(m, path, body, { key: other })],
    ['unknown-node', () => signed(m, path, body, { key: other, node: 'node:stranger' })],
    ['receiver-as-node', () => crafted(m, path, body, { params: withParam(defaultParams(m), 'keyid', signatureKeyId(m.receiver, m.key.kid)) })],
    ['org-kid', () => crafted(m, path, body, { params: withParam(defaultParams(m), 'keyid', `${m.sender}#org-${m.key.kid.slice(4)}`) })],
    ['keyid-without-hash', () => crafted(m, path, body, { params: withParam(defaultParams(m), 'keyid', m.key.kid) })],
    ['bit-flipped-signature', () => crafted(m, path, body, { mangle: flip })],
    ['signature-63-bytes', () => crafted(m, path, body, { mangle: (s) => s.subarray(0, 63) })],
    ['signature-65-bytes', () => crafted(m, path, body, { mangle: (s) => concat(s, Uint8Array.of(0)) })],
    ['signature-zero', () => crafted(m, path, body, { mangle: () => new Uint8Array(64) })],
    ['missing-signature', () => without(signed(m, path, body), 'signature')],
    ['missing-signature-input', () => without(signed(m, path, body), 'signature-input')],
    ['missing-both', () => without(without(signed(m, path, body), 'signature'), 'signature-input')],
    ['other-label', () => crafted(m, path, body, { label: r.pick(['sig1', 'corridor2', 'c']) })],
    ['label-mismatch', () => ({ ...signed(m, path, body), signature: crafted(m, path, body, { label: 'sig1' }).signature ?? '' })],
    ['wrong-tag', () => crafted(m, path, body, { params: withParam(defaultParams(m), 'tag', r.pick(['corridor/2', '', 'corridor/1 ', 'CORRIDOR/1'])) })],
    ['no-tag', () => crafted(m, path, body, { params: defaultParams(m).filter(([k]) => k !== 'tag') })],
    ['missing-component', () => crafted(m, path, body, { components: dropOne(r, COVERED) })],
    ['extra-component', () => crafted(m, path, body, { components: [...COVERED, r.pick(['host', 'date', '@authority', '@path'])] })],
    ['reordered-components', () => crafted(m, path, body, { components: [COVERED[1], COVERED[0], ...COVERED.slice(2)] as string[] })],
    ['duplicate-component', () => crafted(m, path, body, { components: [...COVERED.slice(0, 4), COVERED[3]] as string[] })],
    ['path-instead-of-target-uri', () => crafted(m, path, body, { components: ['@method', '@path', 'content-digest', 'content-type', 'content-length'] })],
    ['alg-mismatch', () => crafted(m, path, body, { params: [...defaultParams(m), ['alg', r.pick(['rsa-pss-sha512', 'hmac-sha256', 'ecdsa-p256-sha256', 'ed448', 'none'])]] })],
    ['unknown-parameter', () => crafted(m, path, body, { params: [...defaultParams(m), [r.pick(['foo', 'context', 'kid']), 'x']] })],
    ['missing-nonce', () => crafted(m, path, body, { params: defaultParams(m).filter(([k]) => k !== 'nonce') })],
    ['short-nonce', () => crafted(m, path, body, { params: withParam(defaultParams(m), 'nonce', 'abc') })],
    ['missing-keyid', () => crafted(m, path, body, { params: defaultParams(m).filter(([k]) => k !== 'keyid') })],
    ['missing-created', () => crafted(m, path, body, { params: defaultParams(m).filter(([k]) => k !== 'created') })],
    ['created-as-string', () => crafted(m, path, body, { params: withParam(defaultParams(m), 'created', String(m.now())) })],
    ['signed-other-method', () => signed(m, path, body, { method: r.pick(['POST', 'GET', 'DELETE', 'put']) })],
    ['signed-other-url', () => signed(m, path, body, { url: r.pick([`http://127.0.0.1:1${path}`, `https://127.0.0.1:${m.port}${path}`, `${m.base}${INBOX}${newId(Date.now())}`, `${m.base}${path}?x=1`]) })],
    ['signed-other-content-type', () => ({ ...signed(m, path, body, { contentType: 'application/octet-stream' }), 'content-type': ENVELOPE_MEDIA_TYPE })],
    ['sent-other-content-type', () => ({ ...signed(m, path, body), 'content-type': r.pick(['application/json', 'text/plain', 'application/corridor-envelope; charset=x']) })],
    ['garbage-signature-input', () => ({ ...signed(m, path, body), 'signature-input': r.text(r.range(1, 300)) })],
    ['garbage-signature', () => ({ ...signed(m, path, body), signature: r.text(r.range(1, 300)) })],
    ['signature-as-string', () => ({ ...signed(m, path, body), signature: `corridor="${toBase64Url(r.bytes(64))}"` })],
    ['signature-inner-list', () => ({ ...signed(m, path, body), signature: 'corridor=(:AAAA:)' })],
    ['signature-input-not-list', () => ({ ...signed(m, path, body), 'signature-input': 'corridor=:AAAA:' })],
    ['oversized-signature-input', () => ({ ...signed(m, path, body), 'signature-input': `${signed(m, path, body)['signature-input'] ?? ''};x="${'a'.repeat(5000)}"` })],
  ];
  const [variant, headers] = r.pick(variants);
  return { cls: '4 wrongly signed', variant, requests: 1, steps: () => [{ wire: put(path, headers(), body), expect: UNAUTH }] };
}

function withParam(params: [string, BareItem][], name: string, value: BareItem): [string, BareItem][] {
  return params.map(([k, v]) => [k, k === name ? value : v]);
}

function without(h: Record<string, string>, name: string): Record<string, string> {
  const out = { ...h };
  delete out[name];
  return out;
}

function dropOne(r: Rng, items: readonly string[]): string[] {
  const i = r.int(items.length);
  return items.filter((_, j) => j !== i);
}

/** (5) replayed requests and requests outside the 300-second window */
export function replayed(m: Material): BadCase {
  const r = m.rng;
  const cls = '5 replayed / stale';
  const variants: [string, () => Step[]][] = [
    ['same-request-twice-garbage', () => {
      const path = `${INBOX}${m.delivered.id}`;
      const body = r.bytes(r.range(0, 300));
      const wire = put(path, signed(m, path, body), body);
      return [{ wire, expect: REFUSED }, { wire, expect: UNAUTH }];
    }],
    ['same-request-twice-truncated', () => {
      const path = `${INBOX}${m.delivered.id}`;
      const body = m.delivered.envelope.subarray(0, r.int(m.delivered.envelope.length));
      const wire = put(path, signed(m, path, body), body);
      return [{ wire, expect: REFUSED }, { wire, expect: UNAUTH }];
    }],
    ['same-request-twice-flipped', () => {
      const path = `${INBOX}${m.delivered.id}`;
      const body = flipBit(m.delivered.envelope, r.int(m.delivered.envelope.length * 8));
      const wire = put(path, signed(m, path, body), body);
      return [{ wire, expect: REFUSED }, { wire, expect: UNAUTH }];
    }],
    ['same-nonce-new-signature', () => {
      // the nonce alone is remembered: a fresh signature (even over a valid new envelope) with a used nonce is refused
      const path = `${INBOX}${m.delivered.id}`;
      const body = r.bytes(r.range(0, 300));
      const n = nonce();
      const first = put(path, signed(m, path, body, { nonce: n }), body);
      const f = m.fresh();
      const freshPath = `${INBOX}${f.id}`;
      const second = put(freshPath, signed(m, freshPath, f.envelope, { nonce: n, created: m.now() - 1 }), f.envelope);
      return [{ wire: first, expect: REFUSED }, { wire: second, expect: UNAUTH }];
    }],
    ['created-too-old', () => {
      const { id, body } = bodyFor(m);
      const path = `${INBOX}${id}`;
      const created = m.now() - r.pick([310, r.range(310, 3600), r.range(3600, 400 * 86_400), m.now()]);
      return [{ wire: put(path, signed(m, path, body, { created }), body), expect: UNAUTH }];
    }],
    ['created-in-future', () => {
      const { id, body } = bodyFor(m);
      const path = `${INBOX}${id}`;
      const created = m.now() + r.pick([320, r.range(320, 3600), r.range(3600, 400 * 86_400)]);
      return [{ wire: put(path, signed(m, path, body, { created }), body), expect: UNAUTH }];
    }],
    ['window-too-long', () => {
      const { id, body } = bodyFor(m);
      const path = `${INBOX}${id}`;
      const created = m.now() - r.range(0, 200);
      return [{ wire: put(path, crafted(m, path, body, { params: withParam(defaultParams(m, created), 'expires', created + r.range(301, 10 ** 9)) }), body), expect: UNAUTH }];
    }],
    ['expires-not-after-created', () => {
      const { id, body } = bodyFor(m);
      const path = `${INBOX}${id}`;
      const created = m.now();
      return [{ wire: put(path, crafted(m, path, body, { params: withParam(defaultParams(m, created), 'expires', created - r.range(0, 1000)) }), body), expect: UNAUTH }];
    }],
    ['expired-window', () => {
      const { id, body } = bodyFor(m);
      const path = `${INBOX}${id}`;
      const created = m.now() - r.range(100, 250);
      return [{ wire: put(path, crafted(m, path, body, { params: withParam(defaultParams(m, created), 'expires', created + r.range(1, 90)) }), body), expect: UNAUTH }];
    }],
  ];
  const [variant, steps] = r.pick(variants);
  return { cls, variant, requests: variant.startsWith('same-') ? 2 : 1, steps };
}

/** (6) a Content-Digest that is not the body's */
export function wrongDigest(m: Material): BadCase {
  const r = m.rng;
  const { id, body } = bodyFor(m);
  const path = `${INBOX}${id}`;
  const sha = (bytes: Uint8Array) => contentDigest(bytes);
  const variants: [string, () => { headers: Record<string, string>; body: Uint8Array }][] = [
    // the signature covers the digest it names, so a consistent signer of another body's digest
    ['signed-digest-of-other-body', () => ({ headers: crafted(m, path, body, { values: { 'content-digest': sha(r.bytes(r.range(0, 100))) } }), body })],
    ['body-bit-flipped-after-signing', () => ({ headers: signed(m, path, body), body: body.length > 0 ? flipBit(body, r.int(body.length * 8)) : Uint8Array.of(1) })],
    ['body-swapped-after-signing', () => {
      let other = m.fresh().envelope;
      while (other === body) other = m.fresh().envelope;
      return { headers: { ...signed(m, path, body), 'content-length': String(other.length) }, body: other };
    }],
    ['digest-header-replaced', () => ({ headers: { ...signed(m, path, body), 'content-digest': r.pick([sha(r.bytes(32)), 'sha-256=abc', 'sha-256=:AAAA:', `sha-512=:${Buffer.from(r.bytes(64)).toString('base64')}:`, '', r.text(r.range(1, 100)), 'sha-256=("a")', `sha-256=:${Buffer.from(r.bytes(32)).toString('base64')}:, sha-256=:x:`]) }, body })],
    ['digest-header-missing', () => ({ headers: without(signed(m, path, body), 'content-digest'), body })],
    ['signed-malformed-digest', () => ({ headers: crafted(m, path, body, { values: { 'content-digest': r.pick(['sha-256=abc', 'sha-512=:AAAA:', `sha-256=:${Buffer.from(r.bytes(31)).toString('base64')}:`, 'md5=:AAAA:', 'sha-256=("a" "b")']) } }), body })],
    ['signed-digest-other-algorithm', () => ({ headers: crafted(m, path, body, { values: { 'content-digest': `sha-512=:${Buffer.from(r.bytes(64)).toString('base64')}:` } }), body })],
    ['digest-header-oversized', () => ({ headers: { ...signed(m, path, body), 'content-digest': `${sha(body)}, x=:${'A'.repeat(4800)}:` }, body })],
  ];
  const [variant, make] = r.pick(variants);
  return {
    cls: '6 wrong digest',
    variant,
    requests: 1,
    steps: () => {
      const { headers, body: sent } = make();
      return [{ wire: put(path, headers, sent), expect: UNAUTH }];
    },
  };
}

/**
 * (7) one bit flipped, correctly signed. In the stored envelope any bit: a broken header is
 * Malformed (400) and an intact one names an id already stored with other bytes (409). In a
 * never-seen envelope only the bits the transport must judge itself: the length prefix, the
 * JSON structure and the `v`, `id` and `to` values (a changed id no longer matches the URL). A
 * flip in the `prekey` or `expires` value or in the box can leave a header the transport stores
 * (by design: it is opened, and rejected, later): that is the separate 7b test.
 */
export function bitFlipped(m: Material): BadCase {
  const r = m.rng;
  if (r.bool(0.5)) {
    const env = m.delivered.envelope;
    const end = headerEnd(env);
    const bit = r.bool(0.4) ? r.int(end * 8) : r.int(env.length * 8);
    const path = `${INBOX}${m.delivered.id}`;
    const region = bit < 16 ? 'length' : bit < end * 8 ? 'header' : bit < (end + 32) * 8 ? 'ephemeral-key' : bit >= (env.length - 16) * 8 ? 'tag' : 'ciphertext';
    return {
      cls: '7 bit-flipped, signed',
      requests: 1,
      variant: `stored-envelope-${region}`,
      steps: () => {
        const body = flipBit(env, bit);
        return [{ wire: put(path, signed(m, path, body), body), expect: REFUSED }];
      },
    };
  }
  const fresh = m.fresh();
  const excluded = mutableHeaderValues(fresh.envelope);
  const end = headerEnd(fresh.envelope);
  let bit: number;
  do bit = r.int(end * 8);
  while (excluded.some(([a, b]) => bit >>> 3 >= a && bit >>> 3 < b));
  const path = `${INBOX}${fresh.id}`;
  return {
    cls: '7 bit-flipped, signed',
    requests: 1,
    variant: bit < 16 ? 'fresh-envelope-length' : 'fresh-envelope-header',
    steps: () => {
      const body = flipBit(fresh.envelope, bit);
      return [{ wire: put(path, signed(m, path, body), body), expect: [400] }];
    },
  };
}

/** (8) the URL id is not the envelope's, non-ULID ids, wrong methods, bad framing and hosts */
export function pathsAndMethods(m: Material): BadCase {
  const r = m.rng;
  const cls = '8 path / method / framing';
  const f = m.fresh();
  const variants: [string, () => Step[]][] = [
    ['url-id-differs', () => {
      // a valid never-seen envelope, correctly signed, PUT under another (valid) id
      const path = `${INBOX}${r.bool() ? newId(Date.now()) : m.delivered.id}`;
      return [{ wire: put(path, signed(m, path, f.envelope), f.envelope), expect: [400] }];
    }],
    ['non-ulid-id', () => {
      const bad = r.pick([
        f.id.toLowerCase(),
        `${f.id}0`,
        f.id.slice(0, 25),
        `8${f.id.slice(1)}`,
        f.id.replace(/.$/, 'U'),
        'x',
        '%00',
        '%E2%82%AC',
        '%ZZ',
        encodeURIComponent(`${f.id}/`),
        `${f.id};x`,
        '-'.repeat(r.range(1, 200)),
        encodeURIComponent(r.text(r.range(1, 60))),
      ]);
      const path = `${INBOX}${bad}`;
      return [{ wire: put(path, signed(m, path, f.envelope), f.envelope), expect: [400, 404] }];
    }],
    ['extra-path-segment', () => {
      const path = `${INBOX}${f.id}${r.pick(['/', '/x', '//', '/..x'])}`;
      return [{ wire: put(path, signed(m, path, f.envelope), f.envelope), expect: [404] }];
    }],
    ['no-id', () => {
      const path = r.pick([INBOX, INBOX.slice(0, -1), '/federation/v1/inbox//', '/federation/v2/inbox/' + f.id]);
      return [{ wire: put(path, signed(m, path, f.envelope), f.envelope), expect: [404] }];
    }],
    ['wrong-method-signed', () => {
      const method = r.pick(['POST', 'PATCH', 'DELETE', 'GET', 'OPTIONS']);
      const path = `${INBOX}${f.id}`;
      const hasBody = method !== 'GET';
      const body = hasBody ? f.envelope : new Uint8Array(0);
      return [{ wire: { method, path, headers: signed(m, path, body, { method }), body }, expect: [404, 405] }];
    }],
    ['wrong-method-unsigned', () => {
      const method = r.pick(['POST', 'PATCH', 'DELETE', 'GET', 'HEAD', 'OPTIONS']);
      const path = `${INBOX}${m.delivered.id}`;
      return [{ wire: { method, path, headers: {}, body: new Uint8Array(0) }, expect: [404, 405] }];
    }],
    ['bad-host-header', () => {
      // the signature names the node's own URL, not the Host header (which it does not cover), so a
      // valid envelope under a strange but parseable Host is legitimately stored: send garbage
      const path = `${INBOX}${m.delivered.id}`;
      const body = r.bytes(r.range(1, 200));
      const host = r.pick(['a b', 'x@127.0.0.1', '[::1', 'localhost:99999', '', `${'h'.repeat(300)}.example`, '\u00e9vil.example', '127.0.0.1:0', '127.0.0.1:1/x']);
      const h = signed(m, path, body);
      const lines = [`PUT ${path} HTTP/1.1`, `Host: ${host}`, ...Object.entries(h).map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
      return [{ wire: { raw: Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]) }, expect: [400] }];
    }],
    ['http10-no-host', () => {
      const path = `${INBOX}${m.delivered.id}`;
      return [{ wire: { raw: Buffer.from(`PUT ${path} HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc`, 'latin1') }, expect: [400, 401] }];
    }],
    ['obs-text-in-signature-headers', () => {
      const path = `${INBOX}${f.id}`;
      const h = signed(m, path, f.envelope);
      h['signature-input'] = `${h['signature-input'] ?? ''}\u00e9\u00ff`;
      return [{ wire: raw('PUT', path, m, h, f.envelope), expect: [400, 401] }];
    }],
    ['control-char-in-header', () => {
      const path = `${INBOX}${f.id}`;
      const h = signed(m, path, f.envelope);
      h['x-junk'] = `a${String.fromCharCode(r.pick([1, 8, 11, 12, 27, 127]))}b`;
      return [{ wire: raw('PUT', path, m, h, f.envelope), expect: [400, 401] }];
    }],
    ['content-length-and-chunked', () => {
      const path = `${INBOX}${f.id}`;
      const h = signed(m, path, f.envelope);
      const chunked = Buffer.concat([Buffer.from(`${f.envelope.length.toString(16)}\r\n`), Buffer.from(f.envelope), Buffer.from('\r\n0\r\n\r\n')]);
      const lines = [`PUT ${path} HTTP/1.1`, `Host: ${m.host}:${m.port}`, ...Object.entries(h).map(([k, v]) => `${k}: ${v}`), 'Transfer-Encoding: chunked', 'Connection: close'];
      return [{ wire: { raw: Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), chunked]) }, expect: [400] }];
    }],
    ['two-content-lengths', () => {
      const path = `${INBOX}${f.id}`;
      const h = signed(m, path, f.envelope);
      return [{ wire: raw('PUT', path, m, h, f.envelope, `Content-Length: ${f.envelope.length + 1}\r\n`), expect: [400] }];
    }],
    ['huge-request-line', () => {
      const path = `${INBOX}${'A'.repeat(r.range(20_000, 80_000))}`;
      return [{ wire: { raw: Buffer.from(`PUT ${path} HTTP/1.1\r\nHost: ${m.host}:${m.port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`) }, expect: [400, 414, 431] }];
    }],
    ['huge-headers', () => {
      const path = `${INBOX}${m.delivered.id}`;
      const body = r.bytes(64);
      const h = signed(m, path, body);
      h['x-pad'] = 'p'.repeat(r.range(17_000, 40_000));
      return [{ wire: raw('PUT', path, m, h, body), expect: [400, 431] }];
    }],
  ];
  const [variant, steps] = r.pick(variants);
  return { cls, variant, requests: 1, steps };
}

/** The unauthenticated answer's exact text is fixed by the first plain unsigned PUT. */
export const UNSIGNED_PROBE = (m: Material): Wire => put(`${INBOX}${m.delivered.id}`, { 'content-type': ENVELOPE_MEDIA_TYPE }, new Uint8Array(0));
