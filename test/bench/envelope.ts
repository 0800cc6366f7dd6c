import {
  LIMITS,
  type OpenContext,
  PrekeySecret,
  SigningKey,
  certifyNodeKey,
  certifyPrekey,
  createMessage,
  messageType,
  open,
  padme,
  seal,
  sha256,
  signBytes,
  toBase64Url,
  verifyBytes,
  verifyNodeKeyCertificate,
  verifyPrekey,
} from '../../protocol/index.js';
import { seal as rawSeal, sealOpen as rawSealOpen } from '../../protocol/crypto/sodium.js';
import { offerBody } from '../helpers/messages.js';
import { compare, round2, round3 } from './measure.js';

/**
 * Envelope throughput (seal+sign, open+verify) at 1 KiB, 64 KiB and 1 MiB bodies against the raw
 * primitives the envelope is made of, measured in the same run: crypto_box_seal (libsodium) and
 * Ed25519 (node:crypto) over a buffer of the body's size. Plus the envelope's size overhead.
 */

const encoder = new TextEncoder();
const DAY = 86_400;

function network(now: number) {
  const senderOrg = SigningKey.generate('org');
  const recipientOrg = SigningKey.generate('org');
  const sender = SigningKey.generate('node');
  const recipient = SigningKey.generate('node');
  const window = { notBefore: now - DAY, notAfter: now + 300 * DAY };
  const senderCert = verifyNodeKeyCertificate(certifyNodeKey(senderOrg, 'org:lefoe-ibf', { node: 'node:lefoe-ibf', publicKey: sender.publicKey, ...window }), senderOrg.publicKey);
  const recipientCert = verifyNodeKeyCertificate(certifyNodeKey(recipientOrg, 'org:astra', { node: 'node:astra', publicKey: recipient.publicKey, ...window }), recipientOrg.publicKey);
  if (!senderCert.ok || !recipientCert.ok) throw new Error('bench keys do not verify');
  const prekey = PrekeySecret.generate();
  const prekeyWindow = { notBefore: now - DAY, notAfter: now + 20 * DAY };
  const verified = verifyPrekey(certifyPrekey(recipient, 'node:astra', prekey, prekeyWindow), recipientCert.value, now);
  if (!verified.ok) throw new Error('bench prekey does not verify');
  const ctx: OpenContext = {
    self: 'node:astra',
    now,
    prekey: (kid) => (kid === prekey.kid ? { secret: prekey, ...prekeyWindow } : undefined),
    senderKey: (node, kid) => (node === 'node:lefoe-ibf' && kid === sender.kid ? senderCert.value : undefined),
    maxBytes: 8 * 1024 * 1024,
  };
  return { sender, prekey, verified: verified.value, ctx };
}

/** A handover body whose JSON is exactly `size` bytes (the case notes fill it up). */
function handoverBody(size: number, now: number): Record<string, unknown> {
  const body = {
    referralId: '01JDQ8Z3K8Q4W6X2M7N5P0R1S3',
    consent: { id: '01JDQ8Z3K8Q4W6X2M7N5P0R1S2', hash: toBase64Url(sha256(encoder.encode('consent'))) },
    purpose: 'return-travel',
    case: { person: { givenName: 'Jelena', languages: ['sr'] }, notes: '' },
    riskToLife: { basis: 'vital-interests', level: 'medium', threats: [], assessedAt: now - 60, assessedBy: 'org:lefoe-ibf' },
  };
  const base = encoder.encode(JSON.stringify(body)).length;
  body.case.notes = 'n'.repeat(Math.max(0, size - base));
  return body;
}

export interface BenchLine {
  [key: string]: unknown;
}

export function benchEnvelope(nowMs: number): BenchLine[] {
  const now = Math.floor(nowMs / 1000);
  const { sender, prekey, verified, ctx } = network(now);
  const dir = { version: 1, hash: toBase64Url(sha256(encoder.encode('dir'))) };
  const consent = { id: '01JDQ8Z3K8Q4W6X2M7N5P0R1S2', hash: toBase64Url(sha256(encoder.encode('consent'))) };
  const lines: BenchLine[] = [];

  for (const size of [1024, 64 * 1024, 1024 * 1024]) {
    const body = handoverBody(size, now);
    const message = createMessage({ typ: messageType('referral', 'handover'), from: 'node:lefoe-ibf', kid: sender.kid, to: 'node:astra', dir, consent, body }, nowMs);
    const sealed = seal(message, sender, verified);
    const raw = new Uint8Array(size).fill(0x6e);
    const rawBox = rawSeal(raw, prekey.publicKey);
    const rawSig = signBytes(sender, 'message', raw);
    const ms = size >= 1024 * 1024 ? 600 : 250;
    const prekeyPrivate = prekey.exportPrivateKey();

    const sealRates = compare(
      {
        envelope: () => seal(message, sender, verified),
        primitives: () => {
          signBytes(sender, 'message', raw);
          rawSeal(raw, prekey.publicKey);
        },
      },
      { ms },
    );
    const openRates = compare(
      {
        envelope: () => {
          if (!open(sealed.envelope, ctx).ok) throw new Error('bench envelope does not open');
        },
        primitives: () => {
          const plain = rawSealOpen(rawBox, prekey.publicKey, prekeyPrivate);
          if (!plain || !verifyBytes(sender.publicKey, 'message', plain, rawSig)) throw new Error('raw does not open');
        },
      },
      { ms },
    );
    const mib = size / (1024 * 1024);
    for (const [name, rates, goal] of [
      ['envelope-seal-sign', sealRates, size >= 64 * 1024 ? 0.7 : 0.5],
      ['envelope-open-verify', openRates, size >= 64 * 1024 ? 0.7 : 0.5],
    ] as const) {
      const env = rates.envelope!.opsPerSecond;
      const base = rates.primitives!.opsPerSecond;
      lines.push({
        bench: name,
        body_bytes: size,
        ops_per_s: round2(env),
        mib_per_s: round2(env * mib),
        baseline: name === 'envelope-seal-sign' ? 'crypto_box_seal (libsodium) + Ed25519 sign (node:crypto), same size, same run' : 'crypto_box_seal_open (libsodium) + Ed25519 verify (node:crypto), same size, same run',
        baseline_ops_per_s: round2(base),
        baseline_mib_per_s: round2(base * mib),
        ratio: round3(env / base),
        goal_ratio: goal,
        rounds: rates.envelope!.rounds.length,
        statistic: 'median of interleaved rounds',
      });
    }
  }

  // size overhead: a realistic referral offer and a realistic handover
  for (const [name, body, typ, withConsent] of [
    ['offer', offerBody(), messageType('referral', 'offer'), false],
    ['handover', handoverBody(700, now), messageType('referral', 'handover'), true],
  ] as const) {
    const message = createMessage({ typ, from: 'node:lefoe-ibf', kid: sender.kid, to: 'node:astra', dir, ...(withConsent ? { consent } : {}), body }, nowMs);
    const sealedMsg = seal(message, sender, verified);
    const bodyBytes = encoder.encode(JSON.stringify(message.body)).length;
    const innerBytes = sealedMsg.inner.length;
    const envelopeBytes = sealedMsg.envelope.length;
    const plaintextUnpadded = 4 + innerBytes + 64;
    const unpadded = envelopeBytes - padme(plaintextUnpadded) + plaintextUnpadded;
    lines.push({
      bench: 'envelope-overhead',
      message: name,
      body_bytes: bodyBytes,
      inner_bytes: innerBytes,
      envelope_bytes: envelopeBytes,
      envelope_bytes_unpadded: unpadded,
      overhead_over_body_unpadded: unpadded - bodyBytes,
      overhead_over_inner_unpadded: unpadded - innerBytes,
      inner_header_bytes: innerBytes - bodyBytes,
      padding_bytes: envelopeBytes - unpadded,
      goal_overhead_bytes: 450,
      max_lifetime_s: LIMITS.maxMessageLifetimeSeconds,
    });
  }
  return lines;
}
