import fc from 'fast-check';
import { type InnerList, parseDictionary, serializeDictionary } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import {
  type RequestSignatureProblem,
  SIGNATURE_TAG,
  type SignRequestInput,
  SigningKey,
  type TrustedNodeKey,
  certifyNodeKey,
  contentDigest,
  sha256,
  signRequest,
  signatureBase,
  signatureKeyId,
  toBase64Url,
  verifyNodeKeyCertificate,
  verifyRequest,
} from '../../protocol/index.js';

/**
 * RFC 9421 request signatures and RFC 9530 Content-Digest (protocol/http-signature.ts):
 * the RFC vectors, a round trip, one tampering per refusal, and mutation fuzzing.
 */

const enc = new TextEncoder();
const T0 = Date.UTC(2026, 10, 28) / 1000;
const DAY = 24 * 3600;
const seed = (label: string) => sha256(enc.encode(`corridor http-signature test ${label}`));
const orgKey = SigningKey.fromSeed('org', seed('org'));
const nodeKey = SigningKey.fromSeed('node', seed('node'));
const otherKey = SigningKey.fromSeed('node', seed('other'));
const NODE = 'node:astra';
const URL_ = 'http://127.0.0.1:4001/federation/v1/inbox/01JDXK7Q5V3Z9W8T6R4P2N0M1H';
const BODY = enc.encode('{"v":"corridor/1","id":"01JDXK7Q5V3Z9W8T6R4P2N0M1H"} and some sealed bytes');
const NONCE = 'q3Xb0n5Ue8yHk2PzR1wA9g';

function trusted(key: SigningKey, extra: Partial<TrustedNodeKey> = {}): TrustedNodeKey {
  const certificate = certifyNodeKey(orgKey, 'org:astra', { node: NODE, publicKey: key.publicKey, notBefore: T0 - 30 * DAY, notAfter: T0 + 300 * DAY });
  const checked = verifyNodeKeyCertificate(certificate, orgKey.publicKey);
  if (!checked.ok) throw new Error('test certificate does not verify');
  return { ...checked.value, ...extra };
}

const request = (over: Partial<SignRequestInput> = {}): SignRequestInput => ({
  method: 'PUT', url: URL_, contentType: 'application/corridor-envelope', body: BODY, key: nodeKey, node: NODE, created: T0, nonce: NONCE, ...over,
});
const signed = (over: Partial<SignRequestInput> = {}) => signRequest(request(over));

/** a plain case-insensitive getter: unlike Headers it lets any string through (fuzzing) */
const getter = (headers: Record<string, string>) => {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => lower.get(name.toLowerCase()) ?? null };
};

function verify(headers: Record<string, string>, over: { method?: string; url?: string; body?: Uint8Array; now?: number; keys?: TrustedNodeKey[]; raw?: boolean } = {}) {
  const keys = over.keys ?? [trusted(nodeKey)];
  return verifyRequest({
    method: over.method ?? 'PUT',
    url: over.url ?? URL_,
    headers: over.raw ? getter(headers) : new Headers(headers),
    body: over.body ?? BODY,
    now: over.now ?? T0,
    resolveKey: (node, kid) => keys.find((k) => k.node === node && k.kid === kid),
  });
}
const without = (headers: Record<string, string>, ...names: string[]) => Object.fromEntries(Object.entries(headers).filter(([k]) => !names.includes(k)));
const problem = (result: ReturnType<typeof verify>) => (result.ok ? 'ok' : result.problem);

const COMPONENTS = '("@method" "@target-uri" "content-digest" "content-type" "content-length")';
type Params = Record<string, string | number | undefined>;
/** a Signature-Input member by hand: default params, overridden (undefined drops one) */
function inputText(over: Params = {}, components = COMPONENTS): string {
  const params: Params = { created: T0, expires: T0 + 300, nonce: NONCE, keyid: signatureKeyId(NODE, nodeKey.kid), tag: SIGNATURE_TAG, ...over };
  const text = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `;${k}=${typeof v === 'number' ? v : JSON.stringify(v)}`)
    .join('');
  return `${components}${text}`;
}

/** an attacker's (or another implementation's) signer: any Signature-Input, a valid signature over it */
function resign(headers: Record<string, string>, input: string, key = nodeKey, method = 'PUT', url = URL_): Record<string, string> {
  const member = parseDictionary(`corridor=${input}`).get('corridor') as InnerList;
  const value = (name: string) => (name === '@method' ? method : name === '@target-uri' ? url : (headers[name] ?? ''));
  const base = signatureBase(
    member[0].map(([name]) => [String(name), value(String(name))] as const),
    [...member[1]] as [string, string | number][],
  );
  const signature = serializeDictionary(new Map([['corridor', [key.sign(enc.encode(base)), new Map()]]]));
  return { ...headers, 'signature-input': `corridor=${input}`, signature };
}

describe('RFC vectors', () => {
  it('RFC 9530: {"hello": "world"}\\n has the example Content-Digest', () => {
    expect(contentDigest(enc.encode('{"hello": "world"}\n'))).toBe('sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:');
  });

  it('RFC 9421 B.2.6: the signature base and the Ed25519 signature with test-key-ed25519, byte-exact', () => {
    const d = Buffer.from('n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU', 'base64url');
    // B.1.4 gives the same key as PKCS#8: its last 32 bytes are the seed
    const pkcs8 = Buffer.from('MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF', 'base64');
    expect(pkcs8.subarray(16).equals(d)).toBe(true);
    const key = SigningKey.fromSeed('node', d);
    expect(toBase64Url(key.publicKey)).toBe('JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs');
    const base = signatureBase(
      [['date', 'Tue, 20 Apr 2021 02:07:55 GMT'], ['@method', 'POST'], ['@path', '/foo'], ['@authority', 'example.com'], ['content-type', 'application/json'], ['content-length', '18']],
      [['created', 1618884473], ['keyid', 'test-key-ed25519']],
    );
    expect(base).toBe(
      [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@method": POST',
        '"@path": /foo',
        '"@authority": example.com',
        '"content-type": application/json',
        '"content-length": 18',
        '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      ].join('\n'),
    );
    const signature = serializeDictionary(new Map([['sig-b26', [key.sign(enc.encode(base)), new Map()]]]));
    expect(signature).toBe('sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:');
    // the B.2.6 Signature-Input serialises to the base's last line
    const input = 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"';
    expect(serializeDictionary(parseDictionary(input))).toBe(input);
    // Corridor's policy refuses that component list even under its own label
    const headers = { 'signature-input': input.replace('sig-b26', 'corridor'), signature: signature.replace('sig-b26', 'corridor') };
    expect(problem(verify(headers, { raw: true }))).toBe('WrongComponents');
  });
});

describe('signRequest / verifyRequest round trip', () => {
  it('a request signed by a node key verifies with its certified TrustedNodeKey', () => {
    const headers = signed();
    expect(Object.keys(headers).sort()).toEqual(['content-digest', 'content-length', 'content-type', 'signature', 'signature-input']);
    expect(headers['signature-input']).toBe(`corridor=${inputText()}`);
    expect(headers['signature-input']).not.toContain('alg');
    expect(headers['content-length']).toBe(String(BODY.length));
    expect(verify(headers)).toEqual({ ok: true, value: { node: NODE, kid: nodeKey.kid, created: T0, expires: T0 + 300, nonce: NONCE } });
  });

  it('the test signer reproduces signRequest exactly (so the tampering below is meaningful)', () => {
    const headers = signed();
    expect(resign(headers, inputText())).toEqual(headers);
  });

  it('header names are case-insensitive, other labels are ignored, sha-512 next to sha-256 is ignored', () => {
    const headers = signed();
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(problem(verify(upper, { raw: true }))).toBe('ok');
    const other = signRequest(request({ key: otherKey }));
    const two = { ...headers, 'signature-input': `other=${COMPONENTS};tag="x", ${headers['signature-input']}`, signature: `${other.signature!.replace('corridor', 'other')}, ${headers.signature}` };
    expect(problem(verify(two))).toBe('ok');
    const digest = `sha-512=:${Buffer.alloc(64).toString('base64')}:, ${headers['content-digest']}`;
    expect(problem(verify(resign({ ...headers, 'content-digest': digest }, inputText())))).toBe('ok');
  });

  it('signRequest refuses caller errors', () => {
    expect(() => signed({ key: orgKey })).toThrow(TypeError);
    expect(() => signed({ node: 'astra' })).toThrow(TypeError);
    expect(() => signed({ nonce: 'short' })).toThrow(RangeError);
    expect(() => signed({ url: '/relative' })).toThrow(TypeError);
    expect(() => signed({ contentType: 'a\nb' })).toThrow(TypeError);
    expect(() => signed({ created: 1.5 })).toThrow(RangeError);
  });
});

describe('each refusal by its tampering', () => {
  const headers = signed();
  const cases: [string, () => ReturnType<typeof verify>, RequestSignatureProblem][] = [
    ['method changed', () => verify(headers, { method: 'POST' }), 'BadSignature'],
    ['path changed', () => verify(headers, { url: URL_.replace('inbox', 'outbox') }), 'BadSignature'],
    ['query added', () => verify(headers, { url: `${URL_}?x=1` }), 'BadSignature'],
    ['host changed', () => verify(headers, { url: URL_.replace(':4001', ':4002') }), 'BadSignature'],
    ['body changed, same length', () => verify(headers, { body: BODY.map((b, i) => (i === 3 ? b ^ 1 : b)) }), 'DigestMismatch'],
    ['body and digest replaced consistently, signature unchanged', () => {
      const body = BODY.map((b, i) => (i === 3 ? b ^ 1 : b));
      return verify({ ...headers, 'content-digest': contentDigest(body) }, { body });
    }, 'BadSignature'],
    ['digest missing', () => verify(without(headers, 'content-digest')), 'DigestMismatch'],
    ['digest without sha-256', () => verify({ ...headers, 'content-digest': headers['content-digest']!.replace('sha-256', 'sha-512') }), 'DigestMismatch'],
    ['content-length wrong', () => verify({ ...headers, 'content-length': String(BODY.length + 1) }), 'LengthMismatch'],
    ['body truncated', () => verify(headers, { body: BODY.subarray(1) }), 'LengthMismatch'],
    ['no signature headers', () => verify(without(headers, 'signature-input', 'signature')), 'MissingSignature'],
    ['signature header dropped', () => verify(without(headers, 'signature')), 'MissingSignature'],
    ['a second label only', () => verify({ ...headers, 'signature-input': headers['signature-input']!.replace('corridor=', 'other='), signature: headers.signature!.replace('corridor=', 'other=') }), 'MissingSignature'],
    ['signature-input over 4 KiB', () => verify({ ...headers, 'signature-input': `${headers['signature-input']}, pad="${'x'.repeat(4096)}"` }), 'MalformedSignature'],
    ['signature not 64 bytes', () => verify({ ...headers, signature: 'corridor=:AAAA:' }), 'MalformedSignature'],
    ['signature-input not a dictionary', () => verify({ ...headers, 'signature-input': 'corridor=(' }), 'MalformedSignature'],
    ['components reordered', () => verify(resign(headers, inputText({}, '("@target-uri" "@method" "content-digest" "content-type" "content-length")'))), 'WrongComponents'],
    ['a component missing', () => verify(resign(headers, inputText({}, '("@method" "@target-uri" "content-digest" "content-type")'))), 'WrongComponents'],
    ['a component with a parameter', () => verify(resign(headers, inputText({}, '("@method" "@target-uri" "content-digest";sf "content-type" "content-length")'))), 'WrongComponents'],
    ['tag missing', () => verify(resign(headers, inputText({ tag: undefined }))), 'WrongTag'],
    ['tag different', () => verify(resign(headers, inputText({ tag: 'corridor/2' }))), 'WrongTag'],
    ['alg=rsa-pss-sha512', () => verify(resign(headers, inputText({ alg: 'rsa-pss-sha512' }))), 'AlgorithmMismatch'],
    ['an unknown parameter', () => verify(resign(headers, inputText({ extra: 'x' }))), 'MalformedSignature'],
    ['nonce missing', () => verify(resign(headers, inputText({ nonce: undefined }))), 'MalformedSignature'],
    ['created 301 s in the future', () => verify(signed({ created: T0 + 301 })), 'FromTheFuture'],
    ['expired', () => verify(signed({ created: T0 - 301 })), 'Stale'],
    ['expires passed inside the window', () => verify(resign(headers, inputText({ created: T0 - 100, expires: T0 - 1 }))), 'Stale'],
    ['window of 301 s', () => verify(resign(headers, inputText({ expires: T0 + 301 }))), 'WindowTooLong'],
    ['window of 0 s', () => verify(resign(headers, inputText({ expires: T0 }))), 'WindowTooLong'],
    ['unknown keyid', () => verify(signed({ key: otherKey })), 'UnknownKey'],
    ['keyid of another node', () => verify(resign(headers, inputText({ keyid: signatureKeyId('node:lefoe', nodeKey.kid) }))), 'UnknownKey'],
    ['malformed keyid', () => verify(resign(headers, inputText({ keyid: nodeKey.kid }))), 'MalformedSignature'],
    ['keyid naming an org key', () => verify(resign(headers, inputText({ keyid: signatureKeyId(NODE, orgKey.kid) }))), 'MalformedSignature'],
    ['revoked key (compromisedSince <= created)', () => verify(headers, { keys: [trusted(nodeKey, { compromisedSince: T0, revokedAt: T0 + DAY })] }), 'KeyNotValid'],
    ['revocation issued by now', () => verify(headers, { keys: [trusted(nodeKey, { compromisedSince: T0 + 10, revokedAt: T0 })] }), 'KeyNotValid'],
    ['key outside its window', () => verify(headers, { keys: [trusted(nodeKey, { notAfter: T0 - 1 })] }), 'KeyNotValid'],
    ['signature from another key', () => verify(resign(headers, inputText(), otherKey)), 'BadSignature'],
    ['signature bit flipped', () => {
      const sig = new Uint8Array(parseDictionary(headers.signature!).get('corridor')![0] as ArrayBuffer);
      sig[10]! ^= 4;
      return verify({ ...headers, signature: serializeDictionary(new Map([['corridor', [sig, new Map()]]])) });
    }, 'BadSignature'],
    ['content-type changed', () => verify({ ...headers, 'content-type': 'application/json' }), 'BadSignature'],
    ['content-type absent (signed as empty)', () => verify(without(resign({ ...headers, 'content-type': '' }, inputText()), 'content-type'), { raw: true }), 'BadSignature'],
  ];
  it.each(cases)('%s', (_name, run, expected) => {
    expect(problem(run())).toBe(expected);
  });

  it('accepts what the rules allow: alg="ed25519", created 300 s ahead, 300 s old', () => {
    expect(problem(verify(resign(headers, inputText({ alg: 'ed25519' }))))).toBe('ok');
    expect(problem(verify(signed({ created: T0 + 300 })))).toBe('ok');
    expect(problem(verify(signed({ created: T0 - 300 })))).toBe('ok');
    expect(problem(verify(signed({ url: `${URL_}#fragment` })))).toBe('ok'); // a fragment is not part of the target URI
    expect(problem(verify(signed(), { url: `${URL_}#fragment` }))).toBe('ok');
  });
});

describe('fuzzing (never throws, never accepts a change)', () => {
  const FIELDS = ['signature-input', 'signature', 'content-digest'] as const;
  /** the structured-field meaning of a header, to skip mutations that do not change it */
  const trim = (text: string) => text.replace(/^[ \t]+|[ \t]+$/g, '');
  const meaning = (text: string) => {
    try {
      return serializeDictionary(parseDictionary(text));
    } catch {
      return null;
    }
  };

  it('single-character mutations of Signature-Input, Signature and Content-Digest are refused', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...FIELDS),
        fc.nat(),
        fc.constantFrom('replace', 'delete', 'insert'),
        fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0, max: 0x2ff })).map((c) => String.fromCharCode(c)),
        (body, name, at, how, char) => {
          const headers = signRequest(request({ body }));
          expect(problem(verify(headers, { body, raw: true }))).toBe('ok');
          const value = headers[name]!;
          const i = at % (value.length + (how === 'insert' ? 1 : 0));
          const mutated = value.slice(0, i) + (how === 'delete' ? '' : char) + value.slice(how === 'insert' ? i : i + 1);
          // no-ops: HTTP trims outer whitespace; a re-serialisation-equal structured value means the same
          fc.pre(trim(mutated) !== value && (meaning(mutated) === null || meaning(mutated) !== meaning(value)));
          const result = verify({ ...headers, [name]: mutated }, { body, raw: true });
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('arbitrary header values, methods and URLs never throw', () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 50 }), fc.constant(signed()['signature-input']!));
    fc.assert(
      fc.property(fc.record({ 'signature-input': text, signature: text, 'content-digest': text, 'content-length': text, 'content-type': text }), text, text, fc.uint8Array({ maxLength: 64 }), (headers, method, url, body) => {
        const result = verify(headers, { method, url, body, raw: true });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
