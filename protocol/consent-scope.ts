import type { ConsentProcessing, ConsentRecord } from './schemas/consent.js';
import type { HandoverCase } from './schemas/referral.js';

/**
 * The one function that decides what may leave a node, and the same rule the receiver applies:
 * a case is projected through a consent for one recipient and one purpose. Only the fields the
 * consent's processing section lists for that recipient and purpose survive; asking for a field
 * outside it is an error that names the field. Pure: the node calls it before sealing, and again
 * on every message it receives.
 *
 * Field pointers: `/person/givenName` … one field of the person; `/person/*` the whole person;
 * the other blocks (`/status`, `/riskAssessment`, `/needs`, `/notes`, `/person/guardian`, …) go
 * whole or not at all. The risk-to-life block is not part of the case: it travels under its own
 * legal basis (vital interests) and is never projected away.
 */

export type ScopeProblem =
  | { code: 'ConsentWithdrawn' | 'ConsentExpired'; detail: 'status' | 'expires' }
  | { code: 'ConsentScope'; detail: 'recipient' | 'purpose' | 'onward' | string };

export type Scoped<T> = { ok: true; value: T } | { ok: false; problem: ScopeProblem };

/** The fields of the person that may be shared one by one; the rest of the case goes in blocks. */
const PERSON_FIELDS = ['givenName', 'familyName', 'otherNames', 'dateOfBirth', 'ageBand', 'gender', 'nationality', 'languages', 'phone', 'email', 'address', 'child', 'guardian'] as const;
const BLOCKS = ['status', 'indicators', 'riskAssessment', 'needs', 'notes', 'reflectionPeriod', 'compensationClaim', 'doNotContact'] as const;

/** Every pointer a case (or a partial update) actually fills, in a fixed order. */
export function casePointers(c: HandoverCase): string[] {
  const out: string[] = [];
  const person = c.person as Record<string, unknown> | undefined;
  if (person) {
    for (const key of Object.keys(person)) if (person[key] !== undefined) out.push(`/person/${key}`);
  }
  const blocks = c as Record<string, unknown>;
  for (const key of Object.keys(blocks)) if (key !== 'person' && blocks[key] !== undefined) out.push(`/${key}`);
  return out;
}

/** Whether `pointer` is covered by the allowlist (exact, or below an entry ending in `/*`). */
export function allows(fields: readonly string[], pointer: string): boolean {
  return fields.some((f) => f === pointer || (f.endsWith('/*') && pointer.startsWith(f.slice(0, -1))));
}

/**
 * Attachments (a medical certificate, tickets) are not case fields: they travel only where the
 * section lists the pointer `/attachments` (or `/attachments/*`), checked like a field by the
 * sender (`share.attachments` in projectCase) and by the receiver (in checkReceived).
 */
export const ATTACHMENTS_POINTER = '/attachments';
export const allowsAttachments = (fields: readonly string[]): boolean => allows(fields, ATTACHMENTS_POINTER) || allows(fields, `${ATTACHMENTS_POINTER}/`);

/**
 * The processing section under which `sender` may give data to `recipient` for `purpose`: the
 * controller to a listed recipient; a listed recipient onward to one its section allows; or a
 * recipient back to the controller (news on the case), within the same section.
 */
export function sectionFor(
  record: ConsentRecord,
  share: { sender: string; recipient: string; purpose: string; now: number },
): Scoped<ConsentProcessing> {
  if (record.status === 'withdrawn') return { ok: false, problem: { code: 'ConsentWithdrawn', detail: 'status' } };
  if (record.status === 'expired' || share.now >= record.expires || share.now < record.validFrom) return { ok: false, problem: { code: 'ConsentExpired', detail: 'expires' } };
  const direct = share.sender === record.controller;
  // a recipient answers the controller about the case it received (updates) under its own section
  const back = share.recipient === record.controller;
  const candidates = record.processing.filter((p) =>
    direct
      ? p.recipients.includes(share.recipient)
      : back
        ? p.recipients.includes(share.sender) || p.onwardSharing.to.includes(share.sender)
        : p.recipients.includes(share.sender) && p.onwardSharing.allowed && p.onwardSharing.to.includes(share.recipient),
  );
  if (candidates.length === 0) {
    const named = record.processing.some((p) => p.recipients.includes(share.recipient) || p.onwardSharing.to.includes(share.recipient));
    return { ok: false, problem: { code: 'ConsentScope', detail: !direct && named ? 'onward' : 'recipient' } };
  }
  const section = candidates.find((p) => (p.purposes as readonly string[]).includes(share.purpose));
  return section ? { ok: true, value: section } : { ok: false, problem: { code: 'ConsentScope', detail: 'purpose' } };
}

/**
 * The case as it may leave for this recipient and purpose. `requested` (pointers) narrows it
 * further; a requested pointer outside the consent is refused by name, never silently dropped.
 * Returns the projected case and the pointers it contains (for the disclosure ledger).
 */
export function projectCase(
  full: HandoverCase,
  record: ConsentRecord,
  share: { sender: string; recipient: string; purpose: string; now: number; requested?: readonly string[]; attachments?: boolean },
): Scoped<{ case: HandoverCase; fields: string[] }> {
  const section = sectionFor(record, share);
  if (!section.ok) return section;
  const allowed = section.value.fields;
  if (share.attachments && !allowsAttachments(allowed)) return { ok: false, problem: { code: 'ConsentScope', detail: ATTACHMENTS_POINTER } };
  for (const pointer of share.requested ?? []) {
    if (!allows(allowed, pointer)) return { ok: false, problem: { code: 'ConsentScope', detail: pointer } };
  }
  const wanted = (pointer: string) => allows(allowed, pointer) && (share.requested === undefined || allows(share.requested, pointer));
  const out: Record<string, unknown> = {};
  const fields: string[] = [];
  const person = full.person as Record<string, unknown> | undefined;
  if (person) {
    const kept: Record<string, unknown> = {};
    for (const key of PERSON_FIELDS) {
      if (person[key] !== undefined && wanted(`/person/${key}`)) {
        kept[key] = person[key];
        fields.push(`/person/${key}`);
      }
    }
    if (Object.keys(kept).length > 0) out.person = kept;
  }
  const source = full as Record<string, unknown>;
  for (const key of BLOCKS) {
    if (source[key] !== undefined && wanted(`/${key}`)) {
      out[key] = source[key];
      fields.push(`/${key}`);
    }
  }
  if (share.attachments) fields.push(ATTACHMENTS_POINTER);
  return { ok: true, value: { case: out as HandoverCase, fields } };
}

/**
 * The receiver's check: every field the message carries must be allowed for this node (the
 * recipient), the purpose and the sender (controller or onward). The first field outside names
 * the problem; nothing of the message may then be applied.
 */
export function checkReceived(
  received: HandoverCase | undefined,
  record: ConsentRecord,
  share: { sender: string; recipient: string; purpose: string; now: number; attachments?: boolean },
): Scoped<string[]> {
  const section = sectionFor(record, share);
  if (!section.ok) return section;
  const pointers = received ? casePointers(received) : [];
  for (const pointer of pointers) {
    if (!allows(section.value.fields, pointer)) return { ok: false, problem: { code: 'ConsentScope', detail: pointer } };
  }
  if (share.attachments && !allowsAttachments(section.value.fields)) return { ok: false, problem: { code: 'ConsentScope', detail: ATTACHMENTS_POINTER } };
  return { ok: true, value: share.attachments ? [...pointers, ATTACHMENTS_POINTER] : pointers };
}
