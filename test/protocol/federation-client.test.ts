import { HttpResponse, delay, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type DeliverInput,
  type DeliveryReceipt,
  type DeliveryOutcome,
  ENVELOPE_MEDIA_TYPE,
  INBOX_PATH,
  PROTOCOL_VERSION,
  SIGNATURE_LABEL,
  SigningKey,
  type TrustedNodeKey,
  contentDigest,
  deliverEnvelope,
  newId,
  randomBytes,
  retryAfter,
  sha256,
  signObject,
  signReceipt,
  toBase64Url,
  verifyRequest,
} from '../../protocol/index.js';
import { DAY, T0 } from '../helpers/time.js';

/**
 * The federation client against mocked peers (msw patches the global fetch, which is why it is
 * only used in unit tests like this one, never next to real nodes). Every answer a peer can give
 * is classified: delivered (a receipt that verifies), retry, or permanent.
 */

const SELF = 'node:astra';
const PEER = 'node:peer';
const BASE = 'http://peer.test';
const INBOX = `${BASE}${INBOX_PATH}:id`;

const sender = SigningKey.generate('node');
const receiver = SigningKey.generate('node');
const other = SigningKey.generate('node');

const trusted = (node: string, key: SigningKey): TrustedNodeKey => ({
  node,
  kid: key.kid,
  publicKey: key.publicKey,
  notBefore: T0 - DAY,
  notAfter: T0 + 365 * DAY,
});
const receiverTrusted = trusted(PEER, receiver);
const senderTrusted = trusted(SELF, sender);

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const envelope = randomBytes(333);
const id = newId(T0 * 1000);
const ctSha256 = toBase64Url(sha256(envelope));

const receiptBody = (over: Partial<DeliveryReceipt> = {}, key: SigningKey = receiver): DeliveryReceipt => ({
  v: PROTOCOL_VERSION,
  id,
  from: SELF,
  to: PEER,
  ctSha256,
  receivedAt: T0,
  kid: key.kid,
  ...over,
});
const validReceipt = () => signReceipt(receiver, receiptBody());

const input = (over: Partial<DeliverInput> = {}): DeliverInput => ({
  // looked up at call time: msw replaces globalThis.fetch in server.listen()
  fetch: (url, init) => globalThis.fetch(url, init),
  baseUrl: BASE,
  envelope,
  id,
  from: SELF,
  to: PEER,
  signer: sender,
  receiverKeys: (kid) => (kid === receiver.kid ? receiverTrusted : undefined),
  now: T0,
  nonce: toBase64Url(randomBytes(16)),
  timeoutMs: 5000,
  ...over,
});

/** one handler for the inbox; `answer` builds the response */
const peerAnswers = (answer: () => Response | Promise<Response>) => server.use(http.put(INBOX, () => answer()));
const deliver = (over: Partial<DeliverInput> = {}) => deliverEnvelope(input(over));

const retry = (status: number | null, code: string, retryAfterMs: number | null = null): DeliveryOutcome =>
  ({ kind: 'retry', status, code, retryAfterMs }) as DeliveryOutcome;

describe('deliverEnvelope: a receipt that verifies means delivered', () => {
  it('202 with a valid signed receipt → delivered, with the receipt and the status', async () => {
    const receipt = validReceipt();
    peerAnswers(() => HttpResponse.json(receipt, { status: 202 }));
    const outcome = await deliver();
    expect(outcome).toEqual({ kind: 'delivered', receipt, status: 202 });
  });

  it('200 (an idempotent duplicate) and 201 are delivered the same way', async () => {
    for (const status of [200, 201]) {
      peerAnswers(() => HttpResponse.json(validReceipt(), { status }));
      const outcome = await deliver();
      expect(outcome.kind, `status ${status}`).toBe('delivered');
      expect(outcome.kind === 'delivered' && outcome.status).toBe(status);
    }
  });

  it('a base URL with a trailing slash still targets /federation/v1/inbox/{id}', async () => {
    const seen: string[] = [];
    server.use(
      http.put(INBOX, ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json(validReceipt(), { status: 202 });
      }),
    );
    expect((await deliver({ baseUrl: `${BASE}//` })).kind).toBe('delivered');
    expect(seen).toEqual([`${BASE}/federation/v1/inbox/${id}`]);
  });
});

describe('deliverEnvelope: a 2xx whose receipt does not verify is retried as BadResponse', () => {
  const cases: [string, () => Response][] = [
    ['a receipt signed by another (unknown) key', () => HttpResponse.json(signReceipt(other, receiptBody({}, other)), { status: 202 })],
    [
      "a receipt naming the receiver's kid but signed by another key",
      () => {
        const body = receiptBody();
        return HttpResponse.json({ receipt: body, signature: signObject(other, 'receipt', body) }, { status: 202 });
      },
    ],
    ['a receipt for another message id', () => HttpResponse.json(signReceipt(receiver, receiptBody({ id: newId(T0 * 1000) })), { status: 202 })],
    [
      'a receipt for other bytes (wrong ctSha256)',
      () => HttpResponse.json(signReceipt(receiver, receiptBody({ ctSha256: toBase64Url(sha256(randomBytes(333))) })), { status: 202 }),
    ],
    ['a receipt for a message from another sender', () => HttpResponse.json(signReceipt(receiver, receiptBody({ from: 'node:mallory' })), { status: 202 })],
    ['a receipt issued by (and addressed as) another node', () => HttpResponse.json(signReceipt(receiver, receiptBody({ to: 'node:mallory' })), { status: 202 })],
    [
      'a receipt whose signature was made in another domain',
      () => {
        const body = receiptBody();
        return HttpResponse.json({ receipt: body, signature: signObject(receiver, 'message', body) }, { status: 202 });
      },
    ],
    [
      'a receipt with an extra field (the schema is strict)',
      () => {
        const r = validReceipt();
        return HttpResponse.json({ ...r, receipt: { ...r.receipt, extra: 1 } }, { status: 202 });
      },
    ],
    [
      'a receipt received at a time outside the key validity',
      () => HttpResponse.json(signReceipt(receiver, receiptBody({ receivedAt: T0 + 400 * DAY })), { status: 202 }),
    ],
    ['garbage JSON', () => new HttpResponse('{"receipt": {', { status: 202, headers: { 'content-type': 'application/json' } })],
    ['an empty body', () => new HttpResponse(null, { status: 202 })],
    ['an HTML page', () => HttpResponse.html('<html><body>Welcome to nginx!</body></html>', { status: 200 })],
    ['JSON null', () => HttpResponse.json(null, { status: 200 })],
    ['a JSON number', () => HttpResponse.json(42, { status: 200 })],
    ['an error body with a 200', () => HttpResponse.json({ error: { code: 'Internal', message: 'oops' } }, { status: 200 })],
  ];
  for (const [name, answer] of cases) {
    it(name, async () => {
      peerAnswers(answer);
      expect(await deliver()).toEqual(retry(expect.any(Number) as unknown as number, 'BadResponse'));
    });
  }

  it('a valid receipt whose kid resolves to a key of another node is refused', async () => {
    peerAnswers(() => HttpResponse.json(validReceipt(), { status: 202 }));
    const outcome = await deliver({ receiverKeys: () => trusted('node:mallory', receiver) });
    expect(outcome).toEqual(retry(202, 'BadResponse'));
  });

  it('a 2xx without a receipt (204) is not a delivery', async () => {
    peerAnswers(() => new HttpResponse(null, { status: 204 }));
    expect(await deliver()).toEqual(retry(204, 'BadResponse'));
  });
});

describe('deliverEnvelope: 4xx other than 408/425/429 are permanent', () => {
  it('a peer URL the node cannot sign a request for (credentials in it) is permanent, never a throw', async () => {
    await expect(deliverEnvelope(input({ baseUrl: 'http://user:pw@peer.test' }))).resolves.toMatchObject({ kind: 'permanent', code: 'InvalidRequest' });
  });

  it('410 → permanent; the code comes from the body when it is a known ErrorCode', async () => {
    peerAnswers(() => HttpResponse.json({ error: { code: 'Expired', message: 'the message has expired' } }, { status: 410 }));
    expect(await deliver()).toEqual({ kind: 'permanent', status: 410, code: 'Expired' });
  });

  it('410 with an unknown code, no body or a non-JSON body → Rejected', async () => {
    const answers = [
      () => HttpResponse.json({ error: { code: 'Gone', message: 'gone' } }, { status: 410 }),
      () => HttpResponse.json({ error: { code: 'toString' } }, { status: 410 }),
      () => new HttpResponse(null, { status: 410 }),
      () => HttpResponse.text('Gone', { status: 410 }),
    ];
    for (const answer of answers) {
      peerAnswers(answer);
      expect(await deliver()).toEqual({ kind: 'permanent', status: 410, code: 'Rejected' });
    }
  });

  for (const [status, body, code] of [
    [400, { error: { code: 'Malformed', message: 'x' } }, 'Malformed'],
    [401, { error: { code: 'Unauthenticated', message: 'x' } }, 'Unauthenticated'],
    [403, { error: { code: 'ConsentMissing', message: 'x' } }, 'ConsentMissing'],
    [404, null, 'Rejected'],
    [409, { error: { code: 'IdConflict', message: 'x' } }, 'IdConflict'],
    [413, { error: { code: 'TooLarge', message: 'x' } }, 'TooLarge'],
    [422, null, 'Rejected'],
  ] as const) {
    it(`${status} → permanent ${code}`, async () => {
      peerAnswers(() => (body ? HttpResponse.json(body, { status }) : new HttpResponse(null, { status })));
      expect(await deliver()).toEqual({ kind: 'permanent', status, code });
    });
  }
});

describe('deliverEnvelope: 408/425/429 and 5xx are retried', () => {
  for (const status of [408, 425, 429, 500, 502, 503, 504]) {
    it(`${status} → retry`, async () => {
      peerAnswers(() => new HttpResponse(null, { status }));
      expect(await deliver()).toEqual(retry(status, status === 429 ? 'RateLimited' : 'PeerUnavailable'));
    });
  }

  it('the code of an error body is kept (500 Internal)', async () => {
    peerAnswers(() => HttpResponse.json({ error: { code: 'Internal', message: 'internal error' } }, { status: 500 }));
    expect(await deliver()).toEqual(retry(500, 'Internal'));
  });

  it('429 with Retry-After: 120 → retryAfterMs 120000', async () => {
    peerAnswers(() => HttpResponse.json({ error: { code: 'RateLimited', message: 'slow down' } }, { status: 429, headers: { 'retry-after': '120' } }));
    expect(await deliver()).toEqual(retry(429, 'RateLimited', 120_000));
  });

  it('429 with Retry-After as an HTTP-date → the difference from now', async () => {
    const at = new Date((T0 + 90) * 1000).toUTCString();
    peerAnswers(() => new HttpResponse(null, { status: 429, headers: { 'retry-after': at } }));
    expect(await deliver()).toEqual(retry(429, 'RateLimited', 90_000));
  });

  it('429 with a garbage Retry-After → null', async () => {
    peerAnswers(() => new HttpResponse(null, { status: 429, headers: { 'retry-after': 'soon' } }));
    expect(await deliver()).toEqual(retry(429, 'RateLimited', null));
  });

  it('503 with Retry-After is honoured too', async () => {
    peerAnswers(() => new HttpResponse(null, { status: 503, headers: { 'retry-after': '30' } }));
    expect(await deliver()).toEqual(retry(503, 'PeerUnavailable', 30_000));
  });

  it('a peer that never answers → retry PeerUnavailable after the timeout (within ~1 s)', async () => {
    server.use(
      http.put(INBOX, async () => {
        await delay('infinite');
        return new HttpResponse(null, { status: 202 });
      }),
    );
    const started = performance.now();
    const outcome = await deliver({ timeoutMs: 200 });
    const took = performance.now() - started;
    expect(outcome).toEqual(retry(null, 'PeerUnavailable'));
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(1000);
  });

  it('a network error → retry PeerUnavailable', async () => {
    peerAnswers(() => HttpResponse.error());
    expect(await deliver()).toEqual(retry(null, 'PeerUnavailable'));
  });

  it('a fetch that throws synchronously → retry PeerUnavailable (never a throw)', async () => {
    const outcome = await deliver({
      fetch: () => {
        throw new TypeError('boom');
      },
    });
    expect(outcome).toEqual(retry(null, 'PeerUnavailable'));
  });
});

describe('deliverEnvelope signs exactly what it sends (RFC 9421)', () => {
  it('the request carries the corridor signature, Content-Digest and the envelope media type, and verifies as received', async () => {
    const seen: { method: string; url: string; headers: Headers; body: Uint8Array }[] = [];
    server.use(
      http.put(INBOX, async ({ request, params }) => {
        const body = new Uint8Array(await request.arrayBuffer());
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        expect(params.id).toBe(id);
        return HttpResponse.json(validReceipt(), { status: 202 });
      }),
    );
    const nonce = toBase64Url(randomBytes(16));
    expect((await deliver({ nonce })).kind).toBe('delivered');
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.method).toBe('PUT');
    expect(req.url).toBe(`${BASE}/federation/v1/inbox/${id}`);
    expect(req.body).toEqual(envelope);
    expect(req.headers.get('content-type')).toBe(ENVELOPE_MEDIA_TYPE);
    expect(req.headers.get('content-digest')).toBe(contentDigest(envelope));
    expect(req.headers.get('content-digest')).toMatch(/^sha-256=:[A-Za-z0-9+/]+=*:$/);
    const sigInput = req.headers.get('signature-input') ?? '';
    expect(sigInput.startsWith(`${SIGNATURE_LABEL}=(`)).toBe(true);
    expect(sigInput).toContain('"@method" "@target-uri" "content-digest" "content-type" "content-length"');
    expect(sigInput).toContain(`keyid="${SELF}#${sender.kid}"`);
    expect(sigInput).toContain(`nonce="${nonce}"`);
    expect(sigInput).toContain('tag="corridor/1"');
    expect(sigInput).toContain(`created=${T0}`);
    expect(req.headers.get('signature')).toMatch(new RegExp(`^${SIGNATURE_LABEL}=:[A-Za-z0-9+/]+=*:$`));

    const verified = verifyRequest({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: req.body,
      now: T0 + 10,
      resolveKey: (node, kid) => (node === SELF && kid === sender.kid ? senderTrusted : undefined),
    });
    expect(verified).toEqual({ ok: true, value: { node: SELF, kid: sender.kid, created: T0, expires: T0 + 300, nonce } });

    // and the check is real: other bytes, another URL or another key do not verify
    const base = { method: req.method, url: req.url, headers: req.headers, body: req.body, now: T0 };
    const resolveKey = () => senderTrusted;
    expect(verifyRequest({ ...base, body: randomBytes(333), resolveKey }).ok).toBe(false);
    expect(verifyRequest({ ...base, url: `${BASE}/federation/v1/inbox/${newId(T0 * 1000)}`, resolveKey }).ok).toBe(false);
    expect(verifyRequest({ ...base, resolveKey: () => trusted(SELF, other) }).ok).toBe(false);
  });

  it('every attempt is freshly signed with its own nonce and time, over the same bytes', async () => {
    const seen: { sigInput: string; digest: string | null; body: Uint8Array }[] = [];
    server.use(
      http.put(INBOX, async ({ request }) => {
        seen.push({ sigInput: request.headers.get('signature-input') ?? '', digest: request.headers.get('content-digest'), body: new Uint8Array(await request.arrayBuffer()) });
        return new HttpResponse(null, { status: 503 });
      }),
    );
    await deliver({ now: T0, nonce: toBase64Url(randomBytes(16)) });
    await deliver({ now: T0 + 60, nonce: toBase64Url(randomBytes(16)) });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.sigInput).not.toBe(seen[1]!.sigInput);
    expect(seen[1]!.sigInput).toContain(`created=${T0 + 60}`);
    expect(seen[0]!.digest).toBe(seen[1]!.digest);
    expect(seen[0]!.body).toEqual(seen[1]!.body);
  });
});

describe('retryAfter (RFC 9110 10.2.3)', () => {
  it('delay-seconds', () => {
    expect(retryAfter('120', T0)).toBe(120_000);
    expect(retryAfter(' 120 ', T0)).toBe(120_000);
    expect(retryAfter('0', T0)).toBe(0);
  });

  it('an HTTP-date: the difference from now, never negative', () => {
    expect(retryAfter(new Date((T0 + 3600) * 1000).toUTCString(), T0)).toBe(3_600_000);
    expect(retryAfter('Sat, 28 Nov 2026 00:02:00 GMT', T0)).toBe(120_000);
    expect(retryAfter(new Date((T0 - 3600) * 1000).toUTCString(), T0)).toBe(0);
  });

  it('bounded to 7 days', () => {
    expect(retryAfter('999999999', T0)).toBe(7 * DAY * 1000);
    expect(retryAfter(new Date((T0 + 30 * DAY) * 1000).toUTCString(), T0)).toBe(7 * DAY * 1000);
  });

  it('absent or garbage → null', () => {
    for (const v of [null, '', '   ', 'soon', '2 minutes', '120s', '1e3', '0x10', 'Infinity', '9999999999']) {
      expect(retryAfter(v, T0), String(v)).toBeNull();
    }
  });

  // KNOWN BUG (reported, not fixed here): the HTTP-date branch uses Date.parse, which in V8
  // accepts almost anything with a number in it ("foo 1" is 1 Jan 2001, local time), so such a
  // garbage value becomes 0 ms instead of null. Remove `.fails` once retryAfter only accepts
  // IMF-fixdate (and the two obsolete RFC 9110 formats).
  it('garbage that V8 Date.parse accepts ("foo 1", "1.5", "-5", "May 5") → null', () => {
    for (const v of ['foo 1', '1.5', '-5', 'May 5']) expect(retryAfter(v, T0), v).toBeNull();
  });
});
