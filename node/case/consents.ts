import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import {
  CONSENT_RECORD_SCHEMA,
  ConsentGiven,
  type ConsentRecord,
  ConsentProcessing,
  CountryCode,
  LanguageTag,
  MAX_CONSENT_SECONDS,
  ProtocolError,
  type SignedConsentRecord,
  type SigningKey,
  UnixTime,
  consentHash,
  newId,
  signConsentRecord,
} from '../../protocol/index.js';
import { type AuditRecorder, noAudit } from '../audit/log.js';

/**
 * Consent records: recorded here (signed by our node key) or received from the organisation
 * that recorded them (verified before they are stored). Every version is kept: a withdrawal is
 * a new version, and messages name the exact version (id and hash) they were sent under.
 */

/** What the case worker records (the rest of the 27560 record is filled in here). */
export const ConsentInput = z.strictObject({
  given: ConsentGiven,
  processing: z.array(ConsentProcessing).min(1).max(10),
  jurisdiction: CountryCode,
  /** seconds since the epoch; at most 12 months after it was given */
  expires: UnixTime,
  notice: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), language: LanguageTag, sha256: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).optional(),
  /** pseudonymous reference of the staff member who recorded it */
  staffRef: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/),
});
export type ConsentInput = z.infer<typeof ConsentInput>;

export interface HeldConsent {
  signed: SignedConsentRecord;
  record: ConsentRecord;
  hash: string;
  caseId: string | null;
  local: boolean;
}

export function createConsents(sqlite: Database.Database, self: { node: string; org: string; nodeKey: () => SigningKey }, audit: AuditRecorder = noAudit) {
  const q = {
    insert: sqlite.prepare(
      `INSERT OR IGNORE INTO consent (id, version, caseId, signed, hash, controller, status, expires, recordedAt, local) VALUES (@id, @version, @caseId, @signed, @hash, @controller, @status, @expires, @recordedAt, @local)`,
    ),
    latest: sqlite.prepare(`SELECT * FROM consent WHERE id = ? ORDER BY version DESC LIMIT 1`),
    byHash: sqlite.prepare(`SELECT * FROM consent WHERE id = ? AND hash = ?`),
    ofCase: sqlite.prepare(`SELECT * FROM consent c WHERE caseId = ? AND version = (SELECT max(version) FROM consent WHERE id = c.id) ORDER BY recordedAt`),
    expiredGiven: sqlite.prepare(`SELECT * FROM consent c WHERE status = 'given' AND expires <= ? AND version = (SELECT max(version) FROM consent WHERE id = c.id)`),
    setCase: sqlite.prepare(`UPDATE consent SET caseId = ? WHERE id = ? AND caseId IS NULL`),
  };
  type Raw = { signed: string; hash: string; caseId: string | null; local: number };
  const held = (raw: Raw | undefined): HeldConsent | undefined => {
    if (!raw) return undefined;
    const signed = JSON.parse(raw.signed) as SignedConsentRecord;
    return { signed, record: signed.record, hash: raw.hash, caseId: raw.caseId, local: raw.local === 1 };
  };
  const store = (signed: SignedConsentRecord, caseId: string | null, local: boolean): HeldConsent => {
    const hash = consentHash(signed.record);
    const r = signed.record;
    sqlite.transaction(() => {
      const stored = q.insert.run({ id: r.id, version: r.version, caseId, signed: JSON.stringify(signed), hash, controller: r.controller, status: r.status, expires: r.expires, recordedAt: r.recordedAt, local: local ? 1 : 0 });
      if (stored.changes === 0) return; // a version held already
      const kind = r.status === 'withdrawn' ? 'consent-withdrawn' : r.version === 1 ? 'consent-given' : 'consent-changed';
      // a received version is recorded by the node; one recorded here, by whoever asked
      audit.record({ kind, ...(local ? {} : { actor: 'self' as const }), subject: { consentId: r.id, org: r.controller, ...(caseId ? { caseId } : {}) }, hashes: { consent: hash } });
    })();
    return { signed, record: r, hash, caseId, local };
  };
  const sign = (record: ConsentRecord): SignedConsentRecord => signConsentRecord(self.nodeKey(), self.node, record);

  return {
    /** records a consent for a case (version 1), signed by this node */
    record(caseId: string, subjectRef: string, input: ConsentInput, nowMs: number): HeldConsent {
      const now = Math.floor(nowMs / 1000);
      if (input.expires <= now || input.expires - now > MAX_CONSENT_SECONDS) {
        throw new ProtocolError('InvalidRequest', 'a consent lasts at most 12 months', { issues: [{ path: 'expires', problem: 'out_of_range' }] });
      }
      const record: ConsentRecord = {
        schema: CONSENT_RECORD_SCHEMA,
        id: newId(nowMs),
        version: 1,
        recordedAt: now,
        controller: self.org,
        recordedBy: { org: self.org, staffRef: input.staffRef },
        subjectRef,
        legalBasis: 'dpv:ExplicitlyExpressedConsent',
        jurisdiction: input.jurisdiction,
        ...(input.notice ? { notice: input.notice } : {}),
        given: { ...input.given, at: Math.min(input.given.at, now) },
        processing: input.processing,
        validFrom: now,
        expires: input.expires,
        status: 'given',
        events: [{ status: 'given', at: now, by: input.given.givenBy === 'data-subject' ? 'data-subject' : input.given.givenBy === 'guardian' ? 'guardian' : 'legal-representative' }],
      };
      return store(sign(record), caseId, true);
    },
    /** the next version saying "withdrawn" (or "expired"), signed by this node (the controller) */
    endLocal(id: string, status: 'withdrawn' | 'expired', by: 'data-subject' | 'guardian' | 'legal-representative' | 'controller', nowMs: number): HeldConsent {
      const current = this.latest(id);
      if (!current || !current.local) throw new ProtocolError('NotFound', 'no such consent recorded here');
      if (current.record.status !== 'given') throw new ProtocolError('ConsentWithdrawn', 'the consent has already ended');
      const now = Math.floor(nowMs / 1000);
      const record: ConsentRecord = {
        ...current.record,
        version: current.record.version + 1,
        recordedAt: now,
        status,
        events: [...current.record.events, { status: status === 'withdrawn' ? 'withdrawn' : 'narrowed', at: now, by }],
      };
      return store(sign(record), current.caseId, true);
    },
    /** a record received from the organisation that recorded it (verified by the caller) */
    storeReceived: (signed: SignedConsentRecord, caseId: string | null): HeldConsent => store(signed, caseId, false),
    attachCase: (id: string, caseId: string): void => void q.setCase.run(caseId, id),
    latest: (id: string): HeldConsent | undefined => held(q.latest.get(id) as Raw | undefined),
    version: (id: string, hash: string): HeldConsent | undefined => held(q.byHash.get(id, hash) as Raw | undefined),
    ofCase: (caseId: string): HeldConsent[] => (q.ofCase.all(caseId) as Raw[]).map((r) => held(r) as HeldConsent),
    /** consents whose latest version still says "given" but whose expiry has passed */
    expired: (nowMs: number): HeldConsent[] => (q.expiredGiven.all(Math.floor(nowMs / 1000)) as Raw[]).map((r) => held(r) as HeldConsent),
  };
}

export type Consents = ReturnType<typeof createConsents>;
