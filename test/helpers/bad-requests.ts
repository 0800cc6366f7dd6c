import { ENVELOPE_MEDIA_TYPE, newId } from '../../protocol/index.js';
import { concat, flipBit, headerEnd, mutableHeaderValues, u16 } from './envelope-bytes.js';
import type { RawWire, Wire } from './request-sender.js';
import { type SigningPeer, signed } from './request-signer.js';
import type { Rng } from './seeded-rng.js';

/**
 * An attacker's (or a broken peer's) HTTP requests against a node's inbox
 * (`PUT /federation/v1/inbox/{id}`): garbage, truncated, oversized, wrongly signed, replayed,
 * wrong-digest and bit-flipped envelopes, wrong paths and methods, lying framing. Every case
 * says what answer it must get: the exact `Unauthenticated` 401 when the request signature
 * cannot verify, otherwise a set of allowed 4xx statuses. Choices come from a seeded PRNG (the
 * seed is printed, so a failure can be replayed); nonces come from the system CSPRNG so that no
 * two requests share one by accident.
 *
 * This file: what a case is, the attacker's material, and the classes whose body or framing is
 * bad (1 garbage, 2 truncated, 3 oversized, 7 bit-flipped, 8 path / method / framing). The
 * classes whose request signature is bad (4 wrongly signed, 5 replayed / stale, 6 wrong digest)
 * are in bad-signatures.ts.
 */

// ---------------------------------------------------------------------------------------------
// cases and answers

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

// ---------------------------------------------------------------------------------------------
// the attacker's material

export interface Material extends SigningPeer {
  rng: Rng;
  receiver: string;
  /** a valid envelope the receiver has already stored (same id, other bytes → 409) */
  delivered: { id: string; envelope: Uint8Array };
  /** a valid envelope for the receiver that it has never seen (a small pool, reused) */
  fresh(): { id: string; envelope: Uint8Array };
}

export const INBOX = '/federation/v1/inbox/';

export const put = (path: string, headers: Record<string, string>, body: Uint8Array): Wire => ({ method: 'PUT', path, headers, body });
export const UNAUTH = 'unauthenticated' as const;
/** an authenticated peer sent something the transport refuses (never 401: the signature was good) */
export const REFUSED = [400, 409] as const;

const encoder = new TextEncoder();

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
