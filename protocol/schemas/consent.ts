import { z } from 'zod';
import { KeyId, NodeId, OrgId, Sha256, SignatureB64, Ulid } from '../ids.js';
import { UnixTime } from '../time.js';
import { CountryCode, IsoDate, LanguageTag, Purpose } from './common.js';
import { defineFamily } from './family.js';

/**
 * Family `consent`: the consent record (after ISO/IEC TS 27560, with W3C DPV terms), its
 * withdrawal and the recipients' deletion receipts.
 * @NOTE The record is signed over its canonical JSON, so every object in it is strict: a key
 * that zod silently dropped would change the bytes and so the hash messages commit to.
 */

export const CONSENT_RECORD_SCHEMA = 'corridor/consent-record/1' as const;

/** Consent lasts at most 12 months; renewal is a new version. */
export const MAX_CONSENT_SECONDS = 366 * 24 * 3600;

/** DPV-style personal data categories a consent allows. */
export const DataCategory = z.enum([
  'identity',
  'contact',
  'demographics',
  'health',
  'legal-status',
  'case-history',
  'risk-assessment',
  'needs',
  'travel',
  'documents',
]);
export type DataCategory = z.infer<typeof DataCategory>;

/**
 * One entry of a consent's field allowlist: a JSON Pointer into the handover case
 * (`/person/givenName`, `/needs`), optionally ending in `/*` for everything below it.
 */
export const FieldPointer = z
  .string()
  .max(200)
  .regex(/^(\/[A-Za-z0-9_]+)+(\/\*)?$/, 'field pointer');
export type FieldPointer = z.infer<typeof FieldPointer>;

/** ISO 8601 duration in years, months, weeks or days: `P2Y`, `P6M`, `P1Y6M`, `P90D`, `P4W`. */
export const RetentionPeriod = z
  .string()
  .max(24)
  .regex(/^P(?:\d{1,4}W|(?=\d)(?:\d{1,4}Y)?(?:\d{1,4}M)?(?:\d{1,4}D)?)$/, 'duration');
export type RetentionPeriod = z.infer<typeof RetentionPeriod>;

export const ConsentGiver = z.enum(['data-subject', 'guardian', 'legal-representative']);
export type ConsentGiver = z.infer<typeof ConsentGiver>;

/** A pseudonymous reference, never a name: e.g. an HMAC of the local case id. */
export const SubjectRef = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'subject ref');
export type SubjectRef = z.infer<typeof SubjectRef>;

/** How consent was given (27560 "indication"); a child's consent is given by someone else. */
export const ConsentGiven = z
  .strictObject({
    method: z.enum(['written', 'verbal']),
    language: LanguageTag,
    interpreterPresent: z.boolean(),
    givenBy: ConsentGiver,
    /**
     * who consented for the child: the relation and a pseudonymous reference, never a name
     * (the record holds no personal data; the guardian's name lives in the case)
     */
    guardian: z
      .strictObject({
        ref: SubjectRef,
        relation: z.enum(['parent', 'appointed-guardian', 'legal-representative', 'social-services', 'other']),
      })
      .optional(),
    at: UnixTime,
  })
  .refine((g) => g.givenBy === 'data-subject' || g.guardian !== undefined, {
    path: ['guardian'],
    message: 'guardian required',
  });
export type ConsentGiven = z.infer<typeof ConsentGiven>;

/** One processing section: who may receive what, for which purposes, for how long. */
export const ConsentProcessing = z
  .strictObject({
    purposes: z.array(Purpose).min(1).max(5),
    recipients: z.array(OrgId).min(1).max(20),
    categories: z.array(DataCategory).min(1).max(10),
    fields: z.array(FieldPointer).min(1).max(200),
    onwardSharing: z.strictObject({
      allowed: z.boolean(),
      to: z.array(OrgId).max(20),
    }),
    retention: RetentionPeriod,
  })
  .refine((p) => p.onwardSharing.allowed || p.onwardSharing.to.length === 0, {
    path: ['onwardSharing', 'to'],
    message: 'onward recipients without onward sharing',
  });
export type ConsentProcessing = z.infer<typeof ConsentProcessing>;

export const ConsentEvent = z.strictObject({
  status: z.enum(['given', 'renewed', 'narrowed', 'withdrawn']),
  at: UnixTime,
  by: z.enum(['data-subject', 'guardian', 'legal-representative', 'controller']),
});
export type ConsentEvent = z.infer<typeof ConsentEvent>;

export const ConsentRecord = z
  .strictObject({
    schema: z.literal(CONSENT_RECORD_SCHEMA),
    id: Ulid,
    version: z.number().int().min(1).max(1_000_000),
    /** when this version was recorded and signed: the signing key must be valid then */
    recordedAt: UnixTime,
    controller: OrgId,
    recordedBy: z.strictObject({
      org: OrgId,
      /** pseudonymous staff reference */
      staffRef: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'staff ref'),
    }),
    subjectRef: SubjectRef,
    legalBasis: z.literal('dpv:ExplicitlyExpressedConsent'),
    jurisdiction: CountryCode,
    /** the information notice the person was given, in their language */
    notice: z
      .strictObject({
        id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'notice id'),
        language: LanguageTag,
        sha256: Sha256,
      })
      .optional(),
    given: ConsentGiven,
    processing: z.array(ConsentProcessing).min(1).max(10),
    validFrom: UnixTime,
    expires: UnixTime,
    status: z.enum(['given', 'withdrawn', 'expired']),
    events: z.array(ConsentEvent).min(1).max(100),
  })
  .refine((r) => r.expires > r.validFrom && r.expires - r.validFrom <= MAX_CONSENT_SECONDS, {
    path: ['expires'],
    message: 'expires out of range',
  })
  .refine((r) => r.recordedAt >= r.given.at, { path: ['recordedAt'], message: 'before consent was given' });
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** The record with the recording node's signature over its canonical JSON (made elsewhere). */
export const SignedConsentRecord = z.strictObject({
  record: ConsentRecord,
  signer: z.strictObject({ node: NodeId, kid: KeyId }),
  signature: SignatureB64,
});
export type SignedConsentRecord = z.infer<typeof SignedConsentRecord>;

/**
 * Sent to every organisation that received data under the consent (the disclosure ledger says
 * which). `newVersion`/`newHash` name the record version that says "withdrawn" (or narrowed).
 */
export const ConsentWithdraw = z.object({
  consentId: Ulid,
  newVersion: z.number().int().min(2).max(1_000_000),
  newHash: Sha256,
  effectiveAt: UnixTime,
  instruction: z.enum(['stop', 'restrict', 'erase']),
  reason: z.enum(['withdrawn-by-person', 'withdrawn-by-guardian', 'expired', 'recorded-in-error']).optional(),
});
export type ConsentWithdraw = z.infer<typeof ConsentWithdraw>;

export const DeletionAction = z.enum([
  'deleted-case-data',
  'deleted-attachments',
  'stopped-processing',
  'forwarded-withdrawal',
]);
export type DeletionAction = z.infer<typeof DeletionAction>;

/** The recipient's answer to a withdrawal. A court-ordered hold is stated, never hidden. */
export const DeletionReceipt = z.object({
  consentId: Ulid,
  appliedAt: UnixTime,
  actions: z.array(DeletionAction).max(DeletionAction.options.length),
  onwardNotified: z.array(OrgId).max(20),
  legalHold: z
    .object({
      basis: z.literal('dpv:LegalObligation'),
      reason: z.string().min(1).max(500),
      court: z.string().max(200).optional(),
      until: IsoDate.optional(),
    })
    .optional(),
});
export type DeletionReceipt = z.infer<typeof DeletionReceipt>;

export const consentFamily = defineFamily({
  family: 'consent',
  major: 1,
  minor: 0,
  bodies: {
    // signed by the recording organisation's node, so a relay can pass it on verifiably
    record: SignedConsentRecord,
    withdraw: ConsentWithdraw,
    'deletion-receipt': DeletionReceipt,
  },
  personalData: {
    record: false,
    withdraw: false,
    'deletion-receipt': false,
  },
});
