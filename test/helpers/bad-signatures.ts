import { ENVELOPE_MEDIA_TYPE, type SigningKey, contentDigest, newId, signatureKeyId, toBase64Url } from '../../protocol/index.js';
import { type BadCase, INBOX, type Material, REFUSED, type Step, UNAUTH, put } from './bad-requests.js';
import { concat, flipBit } from './envelope-bytes.js';
import { COVERED, crafted, defaultParams, nonce, signed, withParam } from './request-signer.js';
import type { Rng } from './seeded-rng.js';

/**
 * The classes of bad requests whose request signature is what is wrong (see bad-requests.ts for
 * what a case is and for the classes with a bad body or framing): (4) every way the RFC 9421
 * signature can be wrong, (5) replays and requests outside the 300-second window, (6) a
 * Content-Digest that is not the body's. Each carries an envelope that would be stored if the
 * signature were right, so only the signature stands between it and the inbox.
 */

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
