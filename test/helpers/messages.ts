import { type InnerMessage, createMessage, messageType, sha256, toBase64Url } from '../../protocol/index.js';
import type { TestOrg } from './keys.js';
import { T0 } from './time.js';

const encoder = new TextEncoder();
export const DIR = { version: 7, hash: toBase64Url(sha256(encoder.encode('directory v7'))) };
export const CONSENT = { id: '01JDQ8Z3K8Q4W6X2M7N5P0R1S2', hash: toBase64Url(sha256(encoder.encode('consent v1'))) };

/** A minimal, non-identifying referral offer (Open Gate relaying a presumed victim). */
export function offerBody(summary = 'Identified at the border crossing; wants to reach a shelter in Serbia.') {
  return {
    referralId: '01JDQ8Z3K8Q4W6X2M7N5P0R1S3',
    needs: ['shelter', 'legal-aid'],
    languages: ['sr', 'mk'],
    gender: 'female',
    ageBand: '18-25',
    child: false,
    currentCountry: 'MK',
    destinationCountry: 'RS',
    urgency: 'urgent',
    purpose: 'referral',
    summary,
    contact: { name: 'Case worker on duty', phone: '+38970000000' },
  };
}

/** A handover of consent-scoped case data (LEFÖ-IBF → ASTRA). `notes` sets the size. */
export function handoverBody(notes = 'Returns to Belgrade on Friday; prefers contact by phone after 17:00.') {
  return {
    referralId: '01JDQ8Z3K8Q4W6X2M7N5P0R1S3',
    consent: CONSENT,
    purpose: 'return-travel',
    case: {
      person: { givenName: 'Jelena', familyName: 'Petrović', languages: ['sr'], gender: 'female', nationality: ['RS'] },
      needs: ['shelter', 'psychological'],
      notes,
    },
    riskToLife: { basis: 'vital-interests', level: 'medium', threats: [], assessedAt: T0 - 3600, assessedBy: 'org:lefoe-ibf' },
  };
}

export function offer(from: TestOrg, to: TestOrg, nowMs = T0 * 1000, body: Record<string, unknown> = offerBody()): InnerMessage {
  return createMessage({ typ: messageType('referral', 'offer'), from: from.node, kid: from.nodeKey.kid, to: to.node, dir: DIR, body }, nowMs);
}

export function handover(from: TestOrg, to: TestOrg, nowMs = T0 * 1000, notes?: string): InnerMessage {
  return createMessage(
    { typ: messageType('referral', 'handover'), from: from.node, kid: from.nodeKey.kid, to: to.node, dir: DIR, consent: CONSENT, body: handoverBody(notes) },
    nowMs,
  );
}
