import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrekeySecret, certifyPrekey, open, seal, verifyPrekey } from '../../protocol/index.js';
import { seal as rawSeal, x25519PublicKey } from '../../protocol/crypto/sodium.js';
import { craftEnvelope } from '../helpers/craft.js';
import { DAY, T0, astra, lefoe, openContext, openGate } from '../helpers/keys.js';
import { handover, offer, offerBody } from '../helpers/messages.js';

const flipBit = (bytes: Uint8Array, bit: number) => {
  const copy = Uint8Array.from(bytes);
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
};

describe('tampering with an envelope', () => {
  it('flipping any single bit of any byte (header, length, ephemeral key, ciphertext, tag) is rejected', () => {
    const { envelope } = seal(offer(openGate, astra), openGate.nodeKey, astra.verifiedPrekey());
    const ctx = openContext(astra);
    expect(open(envelope, ctx).ok).toBe(true);
    const accepted: number[] = [];
    for (let bit = 0; bit < envelope.length * 8; bit++) {
      if (open(flipBit(envelope, bit), ctx).ok) accepted.push(bit);
    }
    expect(accepted).toEqual([]);
  });

  it('random messages with a random bit flipped are rejected, and open never throws (fast-check)', () => {
    const ctx = openContext(astra);
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.integer({ min: 60, max: 30 * DAY }), fc.nat(), (summary, lifetime, pick) => {
        const message = { ...offer(openGate, astra, T0 * 1000, offerBody(summary)) };
        message.expires = message.created + lifetime;
        const { envelope } = seal(message, openGate.nodeKey, astra.verifiedPrekey());
        const result = open(flipBit(envelope, pick % (envelope.length * 8)), ctx);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('changing any inner field without the sender key breaks the signature', () => {
    const original = handover(lefoe, astra);
    const inner = new TextEncoder().encode(JSON.stringify(original));
    const { signature } = seal(original, lefoe.nodeKey, astra.verifiedPrekey());
    const changes: Record<string, unknown>[] = [
      { created: original.created - 1 },
      { expires: original.expires - 1 },
      { thid: '01JDQ8Z3K8Q4W6X2M7N5P0R1S9' },
      { typ: 'corridor/referral/1.0/update' },
      { dir: { ...original.dir, version: 8 } },
      { consent: { ...original.consent, hash: original.dir.hash } },
      { body: { ...original.body, purpose: 'legal-proceedings' } },
    ];
    for (const change of changes) {
      const forged = { ...original, ...change };
      const env = craftEnvelope({ inner: forged, signature, prekey: astra.verifiedPrekey() });
      expect(open(env, openContext(astra)), JSON.stringify(Object.keys(change))).toMatchObject({ ok: false, code: 'BadSignature' });
    }
    // the untouched bytes with the same signature still open: the check above is about the change
    const header = { id: original.id, expires: original.expires };
    expect(open(craftEnvelope({ inner, signature, prekey: astra.verifiedPrekey(), header }), openContext(astra)).ok).toBe(true);
  });

  it('outer and inner id, recipient or expiry swapped or disagreeing are rejected', () => {
    const message = handover(lefoe, astra);
    const prekey = astra.verifiedPrekey();
    const other = handover(lefoe, astra, T0 * 1000 + 1000);
    const cases = [
      { header: { id: other.id }, code: 'OuterInnerMismatch' },
      { header: { expires: message.expires + 1 }, code: 'OuterInnerMismatch' },
      { header: { expires: message.created + 10 }, code: 'OuterInnerMismatch' },
      { header: { to: openGate.node }, code: 'WrongRecipient' },
    ] as const;
    for (const c of cases) {
      const env = craftEnvelope({ inner: message, signer: lefoe.nodeKey, prekey, header: c.header });
      expect(open(env, openContext(astra)), JSON.stringify(c.header)).toMatchObject({ ok: false, code: c.code });
    }
    // a message signed for Open Gate, sealed to ASTRA with an outer `to` of ASTRA
    const forOpenGate = handover(lefoe, openGate);
    const env = craftEnvelope({ inner: forOpenGate, signer: lefoe.nodeKey, prekey, header: { to: astra.node } });
    expect(open(env, openContext(astra))).toMatchObject({ ok: false, code: 'OuterInnerMismatch' });
  });

  it('a message LEFÖ-IBF sent to ASTRA, re-sealed by ASTRA to Open Gate, is rejected by Open Gate', () => {
    const sealed = seal(handover(lefoe, astra), lefoe.nodeKey, astra.verifiedPrekey());
    const atAstra = open(sealed.envelope, openContext(astra));
    if (!atAstra.ok) throw new Error(atAstra.code);
    const { inner, signature, message } = atAstra.value;
    const toOpenGate = openGate.verifiedPrekey();
    // ASTRA keeps every header field honest except the recipient, which must now be Open Gate
    const resealed = craftEnvelope({ inner, signature, prekey: toOpenGate, header: { id: message.id, to: openGate.node, expires: message.expires } });
    expect(open(resealed, openContext(openGate))).toMatchObject({ ok: false, code: 'OuterInnerMismatch' });
    // and with the outer header still naming ASTRA, Open Gate refuses it as not addressed to it
    const asIs = craftEnvelope({ inner, signature, prekey: toOpenGate, header: { id: message.id, to: astra.node, expires: message.expires } });
    expect(open(asIs, openContext(openGate))).toMatchObject({ ok: false, code: 'WrongRecipient' });
  });

  it('an envelope replayed after its prekey was rotated out and deleted cannot be opened', () => {
    const oldSecret = PrekeySecret.generate();
    const window = { notBefore: T0 - 20 * DAY, notAfter: T0 + 5 * DAY };
    const cert = certifyPrekey(astra.nodeKey, astra.node, oldSecret, window);
    const verified = verifyPrekey(cert, astra.trustedKey, T0);
    if (!verified.ok) throw new Error(verified.code);
    const { envelope } = seal(handover(lefoe, astra), lefoe.nodeKey, verified.value);
    const holding = openContext(astra, { prekey: (kid) => (kid === oldSecret.kid ? { secret: oldSecret, ...window } : undefined) });
    expect(open(envelope, holding).ok).toBe(true);

    oldSecret.destroy(); // the node wipes the private half after notAfter + max lifetime...
    expect(open(envelope, holding)).toMatchObject({ ok: false, code: 'DecryptFailed' });
    // a wiped scalar is all zeros: a box sealed to the public key of zero must not open either
    expect(oldSecret.open(rawSeal(new Uint8Array(8), x25519PublicKey(new Uint8Array(32))))).toBeNull();
    expect(() => oldSecret.exportPrivateKey()).toThrow();
    // ...and forgets it: the replay now names an unknown prekey
    expect(open(envelope, openContext(astra))).toMatchObject({ ok: false, code: 'UnknownPrekey' });
  });

  it('once a revocation is issued, a thief cannot backdate a message to before compromisedSince', () => {
    const compromisedSince = T0 - 3 * DAY;
    const revokedAt = T0 - DAY;
    const revoked = { ...lefoe.trustedKey, compromisedSince, revokedAt };
    // signed with the stolen key, claiming to be from a day before the compromise
    const backdated = handover(lefoe, astra, (compromisedSince - DAY) * 1000);
    const env = craftEnvelope({ inner: backdated, signer: lefoe.nodeKey, prekey: astra.verifiedPrekey() });
    expect(open(env, openContext(astra, { now: T0, senderKey: () => revoked }))).toMatchObject({ ok: false, code: 'KeyRevoked' });
    // the same envelope opened before the revocation was issued was (rightly) accepted
    expect(open(env, openContext(astra, { now: revokedAt - 60, senderKey: () => revoked })).ok).toBe(true);
  });

  it('a revoked sender key is refused for any message created at or after compromisedSince (fast-check)', () => {
    const { envelope, message } = seal(handover(lefoe, astra), lefoe.nodeKey, astra.verifiedPrekey());
    fc.assert(
      fc.property(fc.integer({ min: -400 * DAY, max: 0 }), (offset) => {
        const ctx = openContext(astra, { senderKey: () => ({ ...lefoe.trustedKey, compromisedSince: message.created + offset }) });
        expect(open(envelope, ctx)).toMatchObject({ ok: false, code: 'KeyRevoked' });
      }),
      { numRuns: 100 },
    );
  });
});

describe('malformed input never crashes open()', () => {
  it('random bytes are rejected with a reason (fast-check)', () => {
    const ctx = openContext(astra);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const result = open(bytes, ctx);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('a valid header followed by garbage, and every truncation of a valid envelope, are rejected', () => {
    const { envelope } = seal(offer(openGate, astra), openGate.nodeKey, astra.verifiedPrekey());
    const ctx = openContext(astra);
    for (let n = 0; n < envelope.length; n++) expect(open(envelope.subarray(0, n), ctx).ok).toBe(false);
    const extended = Uint8Array.from([...envelope, 0]);
    expect(open(extended, ctx)).toMatchObject({ ok: false, code: 'DecryptFailed' });
  });

  it('signed inner JSON with duplicate keys, whitespace or unusual escapes is Malformed: one text, one meaning', () => {
    const message = handover(lefoe, astra);
    const text = JSON.stringify(message);
    const variants = [
      text.replace('"to":"node:astra"', '"to":"node:open-gate","to":"node:astra"'),
      text.replace('"from":', '"from" :'),
      text.replace('"typ":"corridor/referral/1.0/handover"', '"typ":"corridor\\/referral/1.0/handover"'),
      `${text}\n`,
    ];
    for (const variant of variants) {
      expect(variant).not.toBe(text);
      const env = craftEnvelope({ inner: new TextEncoder().encode(variant), signer: lefoe.nodeKey, prekey: astra.verifiedPrekey(), header: { id: message.id, expires: message.expires } });
      expect(open(env, openContext(astra)), variant.slice(0, 60)).toMatchObject({ ok: false, code: 'Malformed' });
    }
  });

  it('a failing key lookup (a busy database) is rethrown as it was, not mistaken for a bad envelope', () => {
    const { envelope } = seal(handover(lefoe, astra), lefoe.nodeKey, astra.verifiedPrekey());
    const busy = new Error('SQLITE_BUSY');
    expect(() => open(envelope, openContext(astra, { senderKey: () => { throw busy; } }))).toThrow(busy);
    expect(() => open(envelope, openContext(astra, { prekey: () => { throw busy; } }))).toThrow(busy);
  });

  it('inner bytes that are not UTF-8, not JSON, or not an object are Malformed, even when signed', () => {
    const prekey = astra.verifiedPrekey();
    const raw = [Uint8Array.from([0xff, 0xfe, 0x00]), new TextEncoder().encode('{"from":'), new TextEncoder().encode('[1,2,3]'), new TextEncoder().encode('null')];
    for (const inner of raw) {
      const env = craftEnvelope({ inner, signer: lefoe.nodeKey, prekey, header: { expires: T0 + DAY } });
      expect(open(env, openContext(astra))).toMatchObject({ ok: false, code: 'Malformed' });
    }
  });
});
