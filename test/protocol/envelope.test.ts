import { describe, expect, it } from 'vitest';
import { LIMITS, ProtocolError, createMessage, messageType, open, readEnvelope, seal } from '../../protocol/index.js';
import { craftEnvelope } from '../helpers/craft.js';
import { DAY, T0, astra, lefoe, openContext, openGate } from '../helpers/keys.js';
import { CONSENT, DIR, handover, offer, offerBody } from '../helpers/messages.js';

describe('envelope corridor/1: seal and open', () => {
  it('LEFÖ-IBF hands a case over to ASTRA: ASTRA opens exactly what LEFÖ-IBF signed', () => {
    const message = handover(lefoe, astra);
    const sealed = seal(message, lefoe.nodeKey, astra.verifiedPrekey());
    const opened = open(sealed.envelope, openContext(astra));
    if (!opened.ok) throw new Error(`expected to open, got ${opened.code}`);
    expect(opened.value.message).toEqual(message);
    expect(opened.value.inner).toEqual(sealed.inner);
    expect(opened.value.signature).toEqual(sealed.signature);
    expect(opened.value.senderKey.kid).toBe(lefoe.nodeKey.kid);
    expect(opened.value.header).toMatchObject({ v: 'corridor/1', id: message.id, to: 'node:astra', prekey: astra.prekey.kid, expires: message.expires });
  });

  it('the outer header is readable without the key, and holds no personal data', () => {
    const sealed = seal(handover(lefoe, astra), lefoe.nodeKey, astra.verifiedPrekey());
    const read = readEnvelope(sealed.envelope);
    expect(read.ok).toBe(true);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(sealed.envelope);
    expect(text).not.toContain('Jelena');
    expect(text).not.toContain('lefoe');
  });

  it('two sealings of the same message differ (fresh ephemeral key) yet both open', () => {
    const message = offer(openGate, astra);
    const a = seal(message, openGate.nodeKey, astra.verifiedPrekey());
    const b = seal(message, openGate.nodeKey, astra.verifiedPrekey());
    expect(a.envelope).not.toEqual(b.envelope);
    expect(open(a.envelope, openContext(astra)).ok).toBe(true);
    expect(open(b.envelope, openContext(astra)).ok).toBe(true);
  });

  it('pads: bodies of 1,000 to 1,200 bytes fall into few envelope sizes', () => {
    const sizes = new Set<number>();
    for (let n = 1000; n <= 1200; n += 5) {
      sizes.add(seal(handover(lefoe, astra, T0 * 1000, 'x'.repeat(n)), lefoe.nodeKey, astra.verifiedPrekey()).envelope.length);
    }
    expect(sizes.size).toBeLessThanOrEqual(3);
  });

  it('a thread keeps its id and a child thread names its parent', () => {
    const first = offer(openGate, astra);
    const reply = createMessage(
      { typ: messageType('referral', 'accept'), from: astra.node, kid: astra.nodeKey.kid, to: openGate.node, thid: first.thid, dir: DIR, body: { referralId: offerBody().referralId, contact: { name: 'Duty officer' } } },
      T0 * 1000 + 5000,
    );
    const child = createMessage(
      { typ: messageType('referral', 'handover'), from: lefoe.node, kid: lefoe.nodeKey.kid, to: astra.node, pthid: first.id, dir: DIR, consent: CONSENT, body: handover(lefoe, astra).body },
      T0 * 1000 + 6000,
    );
    expect(reply.thid).toBe(first.id);
    expect(child.pthid).toBe(first.id);
    const opened = open(seal(reply, astra.nodeKey, openGate.verifiedPrekey()).envelope, openContext(openGate));
    expect(opened.ok && opened.value.message.thid).toBe(first.id);
  });
});

describe('seal refuses to send what must not leave', () => {
  it('a body outside its schema, naming the field and not its value', () => {
    const message = offer(openGate, astra, T0 * 1000, { ...offerBody(), givenName: 'Jelena' });
    try {
      seal(message, openGate.nodeKey, astra.verifiedPrekey());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      const e = error as ProtocolError;
      expect(e.code).toBe('SchemaViolation');
      expect(JSON.stringify(e.toBody())).not.toContain('Jelena');
      expect(e.issues?.map((i) => i.path)).toContain('body');
    }
  });

  it('a key the schema does not know, nested anywhere, naming neither the key nor its value', () => {
    const offerWithName = offer(openGate, astra, T0 * 1000, { ...offerBody(), riskToLife: { basis: 'vital-interests', level: 'high', threats: [], assessedAt: T0, assessedBy: 'org:open-gate', givenName: 'Jelena' } });
    const withPassport = handover(lefoe, astra);
    (withPassport.body as { case: { person: Record<string, unknown> } }).case.person.passportNo = 'P1234567';
    for (const [message, sender, path] of [[offerWithName, openGate, 'body.riskToLife'], [withPassport, lefoe, 'body.case.person']] as const) {
      try {
        seal(message, sender.nodeKey, astra.verifiedPrekey());
        expect.unreachable();
      } catch (error) {
        const body = JSON.stringify((error as ProtocolError).toBody());
        expect((error as ProtocolError).issues).toEqual([{ path, problem: 'unrecognized_keys' }]);
        expect(body).not.toMatch(/Jelena|givenName|P1234567|passportNo/);
      }
    }
  });

  it('a message larger than receivers accept (send it as an attachment instead)', () => {
    const big = handover(lefoe, astra, T0 * 1000, 'ш'.repeat(40_000)); // 2 bytes each in UTF-8
    const limit = { maxBytes: 64 * 1024 }; // what the recipient advertises in the directory
    expect(() => seal(big, lefoe.nodeKey, astra.verifiedPrekey(), limit)).toThrow(expect.objectContaining({ code: 'TooLarge' }));
    expect(seal(handover(lefoe, astra, T0 * 1000, 'ш'.repeat(25_000)), lefoe.nodeKey, astra.verifiedPrekey(), limit).envelope.length).toBeLessThanOrEqual(limit.maxBytes);
    const sealed = seal(big, lefoe.nodeKey, astra.verifiedPrekey());
    expect(open(sealed.envelope, openContext(astra, { maxBytes: limit.maxBytes }))).toMatchObject({ ok: false, code: 'TooLarge' });
  });

  it('personal data without a consent commitment', () => {
    const { consent: _drop, ...message } = handover(lefoe, astra);
    expect(() => seal(message, lefoe.nodeKey, astra.verifiedPrekey())).toThrow(expect.objectContaining({ code: 'ConsentMissing' }));
  });

  it('to a node other than the prekey owner, or signed by another key than the message names', () => {
    expect(() => seal(handover(lefoe, astra), lefoe.nodeKey, openGate.verifiedPrekey())).toThrow(expect.objectContaining({ code: 'WrongRecipient' }));
    expect(() => seal(handover(lefoe, astra), openGate.nodeKey, astra.verifiedPrekey())).toThrow(expect.objectContaining({ code: 'UnknownSenderKey' }));
  });

  it('to a prekey whose window does not cover the message', () => {
    const late = handover(lefoe, astra, (astra.prekeyWindow.notAfter + DAY) * 1000);
    expect(() => seal(late, lefoe.nodeKey, astra.verifiedPrekey())).toThrow(expect.objectContaining({ code: 'PrekeyExpired' }));
  });
});

describe('open refuses, with a typed reason', () => {
  const prekey = () => astra.verifiedPrekey();

  it('an envelope for another node', () => {
    const sealed = seal(handover(lefoe, astra), lefoe.nodeKey, prekey());
    expect(open(sealed.envelope, openContext(openGate))).toMatchObject({ ok: false, code: 'WrongRecipient' });
  });

  it('an unknown prekey, and a prekey kept past its window plus the longest message lifetime', () => {
    const sealed = seal(handover(lefoe, astra), lefoe.nodeKey, prekey());
    expect(open(sealed.envelope, openContext(astra, { prekey: () => undefined }))).toMatchObject({ ok: false, code: 'UnknownPrekey' });
    const late = astra.prekeyWindow.notAfter + LIMITS.maxMessageLifetimeSeconds + DAY;
    // an outer header claiming a far expiry must not make a node use a prekey it should have deleted
    const env = craftEnvelope({ inner: handover(lefoe, astra), signer: lefoe.nodeKey, prekey: prekey(), header: { expires: late + DAY } });
    expect(open(env, openContext(astra, { now: late }))).toMatchObject({ ok: false, code: 'PrekeyExpired' });
  });

  it('a message created outside the prekey window (sealed to an old prekey by a forger or a broken sender)', () => {
    const msg = handover(lefoe, astra, (astra.prekeyWindow.notAfter + 2 * DAY) * 1000);
    const env = craftEnvelope({ inner: msg, signer: lefoe.nodeKey, prekey: prekey() });
    expect(open(env, openContext(astra, { now: astra.prekeyWindow.notAfter + 2 * DAY }))).toMatchObject({ ok: false, code: 'PrekeyExpired' });
  });

  it('an unknown sender key', () => {
    const sealed = seal(handover(lefoe, astra), lefoe.nodeKey, prekey());
    expect(open(sealed.envelope, openContext(astra, { senderKey: () => undefined }))).toMatchObject({ ok: false, code: 'UnknownSenderKey' });
  });

  it('a sender key revoked since before `created`, but not one compromised only later', () => {
    const sealed = seal(handover(lefoe, astra), lefoe.nodeKey, prekey());
    const revoked = (since: number) => openContext(astra, { senderKey: () => ({ ...lefoe.trustedKey, compromisedSince: since }) });
    expect(open(sealed.envelope, revoked(T0 - DAY))).toMatchObject({ ok: false, code: 'KeyRevoked' });
    expect(open(sealed.envelope, revoked(T0))).toMatchObject({ ok: false, code: 'KeyRevoked' });
    expect(open(sealed.envelope, revoked(T0 + 60)).ok).toBe(true);
  });

  it('a sender key not valid at `created`', () => {
    const sealed = seal(handover(lefoe, astra), lefoe.nodeKey, prekey());
    const window = (notBefore: number, notAfter: number) => openContext(astra, { senderKey: () => ({ ...lefoe.trustedKey, notBefore, notAfter }) });
    expect(open(sealed.envelope, window(T0 + 1, T0 + DAY))).toMatchObject({ ok: false, code: 'KeyNotValid' });
    expect(open(sealed.envelope, window(T0 - DAY, T0 - 1))).toMatchObject({ ok: false, code: 'KeyNotValid' });
  });

  it('an expired message, and one that claims to come from the future', () => {
    const sealed = seal(handover(lefoe, astra), lefoe.nodeKey, prekey());
    expect(open(sealed.envelope, openContext(astra, { now: sealed.message.expires + 1 }))).toMatchObject({ ok: false, code: 'Expired' });
    const future = handover(lefoe, astra, (T0 + 3600) * 1000);
    const env = seal(future, lefoe.nodeKey, prekey()).envelope;
    expect(open(env, openContext(astra, { now: T0 }))).toMatchObject({ ok: false, code: 'NotYetValid' });
    expect(open(env, openContext(astra, { now: T0 + 3600 - LIMITS.clockSkewSeconds })).ok).toBe(true);
  });

  it('a bad signature: signed by another node key than the one named', () => {
    const env = craftEnvelope({ inner: handover(lefoe, astra), signer: openGate.nodeKey, prekey: prekey() });
    expect(open(env, openContext(astra))).toMatchObject({ ok: false, code: 'BadSignature' });
  });

  it('an unknown major version of a message type, and an unknown message type, even when properly signed', () => {
    const v2 = { ...offer(openGate, astra), typ: 'corridor/referral/2.0/offer' };
    expect(open(craftEnvelope({ inner: v2, signer: openGate.nodeKey, prekey: prekey() }), openContext(astra))).toMatchObject({ ok: false, code: 'UnsupportedVersion' });
    const unknown = { ...offer(openGate, astra), typ: 'corridor/referral/1.0/teleport' };
    expect(open(craftEnvelope({ inner: unknown, signer: openGate.nodeKey, prekey: prekey() }), openContext(astra))).toMatchObject({ ok: false, code: 'UnknownMessageType' });
    const minor = { ...offer(openGate, astra), typ: 'corridor/referral/1.9/offer' };
    expect(open(craftEnvelope({ inner: minor, signer: openGate.nodeKey, prekey: prekey() }), openContext(astra)).ok).toBe(true);
  });

  it('a signed body that breaks its schema: the field is named, its value never appears', () => {
    const bad = offer(openGate, astra, T0 * 1000, { ...offerBody(), gender: 'Jelena Petrović' });
    const result = open(craftEnvelope({ inner: bad, signer: openGate.nodeKey, prekey: prekey() }), openContext(astra));
    expect(result).toMatchObject({ ok: false, code: 'SchemaViolation', issues: [{ path: 'body.gender' }] });
    expect(JSON.stringify(result)).not.toContain('Jelena');
  });

  it('a signed body with a key our minor version does not know', () => {
    const extra = offer(openGate, astra, T0 * 1000, { ...offerBody(), contact: { name: 'Duty officer', personalMobile: '+38970111222' } });
    const result = open(craftEnvelope({ inner: extra, signer: openGate.nodeKey, prekey: prekey() }), openContext(astra));
    expect(result).toMatchObject({ ok: false, code: 'SchemaViolation' });
    expect(JSON.stringify(result)).not.toMatch(/personalMobile|38970111222/);
  });

  it('personal data signed without a consent commitment', () => {
    const { consent: _drop, ...bare } = handover(lefoe, astra);
    const result = open(craftEnvelope({ inner: bare, signer: lefoe.nodeKey, prekey: prekey() }), openContext(astra));
    expect(result).toMatchObject({ ok: false, code: 'ConsentMissing' });
  });

  it('an envelope above the size limit, before any work', () => {
    const sealed = seal(handover(lefoe, astra), lefoe.nodeKey, prekey());
    expect(open(sealed.envelope, openContext(astra, { maxBytes: sealed.envelope.length - 1 }))).toMatchObject({ ok: false, code: 'TooLarge' });
  });

  it('non-zero or wrongly sized padding', () => {
    const msg = handover(lefoe, astra);
    const nonZero = craftEnvelope({ inner: msg, signer: lefoe.nodeKey, prekey: prekey(), plaintext: (p) => { const q = Uint8Array.from(p); q[q.length - 1] = 1; return q; } });
    const short = craftEnvelope({ inner: msg, signer: lefoe.nodeKey, prekey: prekey(), plaintext: (p) => p.subarray(0, p.length - 1) });
    const long = craftEnvelope({ inner: msg, signer: lefoe.nodeKey, prekey: prekey(), plaintext: (p) => Uint8Array.from([...p, 0]) });
    for (const env of [nonZero, short, long]) expect(open(env, openContext(astra))).toMatchObject({ ok: false, code: 'Malformed' });
  });
});
