import { z } from 'zod';
import { OrgId, SignatureB64, Ulid } from '../ids.js';
import { UnixTime } from '../time.js';
import { LIMITS } from '../version.js';
import {
  AgeBand,
  ConsentRef,
  ContactPerson,
  CountryCode,
  Email,
  Gender,
  IsoDate,
  LanguageTag,
  Need,
  Phone,
  Purpose,
  RiskLevel,
  RiskToLife,
  Urgency,
} from './common.js';
import { defineFamily } from './family.js';

/**
 * Family `referral`: offer → accept | decline → handover → update … → close; the referring
 * organisation may revoke at any point. Only `handover` and `update` carry personal data.
 */

/**
 * The first message of a referral: enough for the other side to say yes or no, and nothing that
 * identifies the person. Strict: a key that is not in this list is refused, not dropped, so an
 * offer can never carry a name, a date of birth or an address.
 */
export const ReferralOffer = z.strictObject({
  referralId: Ulid,
  needs: z.array(Need).min(1).max(20),
  languages: z.array(LanguageTag).max(10),
  gender: Gender,
  ageBand: AgeBand,
  child: z.boolean(),
  currentCountry: CountryCode,
  destinationCountry: CountryCode.optional(),
  urgency: Urgency,
  purpose: Purpose,
  /** written by the case worker without identifying details */
  summary: z.string().max(1000).optional(),
  riskToLife: RiskToLife.optional(),
  /** the referring organisation's named contact */
  contact: z.strictObject(ContactPerson.shape),
  respondBy: UnixTime.optional(),
});
export type ReferralOffer = z.infer<typeof ReferralOffer>;

export const ReferralAccept = z.object({
  referralId: Ulid,
  /** the named contact person at the accepting organisation */
  contact: ContactPerson,
  note: z.string().max(1000).optional(),
});
export type ReferralAccept = z.infer<typeof ReferralAccept>;

export const DeclineReason = z.enum([
  'no-capacity',
  'not-in-mandate',
  'cannot-serve-gender',
  'cannot-serve-age',
  'language',
  'location',
  'duplicate',
  'other',
]);
export type DeclineReason = z.infer<typeof DeclineReason>;

export const ReferralDecline = z.object({
  referralId: Ulid,
  reason: DeclineReason,
  note: z.string().max(1000).optional(),
});
export type ReferralDecline = z.infer<typeof ReferralDecline>;

export const RevokeReason = z.enum(['consent-withdrawn', 'sent-in-error', 'person-declined', 'safety', 'other']);
export type RevokeReason = z.infer<typeof RevokeReason>;

export const ReferralRevoke = z.object({
  referralId: Ulid,
  reason: RevokeReason,
  note: z.string().max(1000).optional(),
});
export type ReferralRevoke = z.infer<typeof ReferralRevoke>;

export const Guardian = z.object({
  name: z.string().min(1).max(200),
  relation: z.string().min(1).max(100),
  organisation: z.string().max(200).optional(),
  phone: Phone.optional(),
});
export type Guardian = z.infer<typeof Guardian>;

export const CasePerson = z.object({
  givenName: z.string().min(1).max(200).optional(),
  familyName: z.string().min(1).max(200).optional(),
  otherNames: z.array(z.string().min(1).max(200)).max(10).optional(),
  dateOfBirth: IsoDate.optional(),
  ageBand: AgeBand.optional(),
  gender: Gender.optional(),
  nationality: z.array(CountryCode).max(5).optional(),
  languages: z.array(LanguageTag).max(10).optional(),
  phone: Phone.optional(),
  email: Email.optional(),
  address: z.string().max(500).optional(),
  child: z.boolean().optional(),
  guardian: Guardian.optional(),
});
export type CasePerson = z.infer<typeof CasePerson>;

/** Presumed → identified victim, and who decided. */
export const VictimStatus = z.object({
  victimStatus: z.enum(['presumed', 'identified']),
  identifiedBy: z.string().max(200).optional(),
  identifiedAt: IsoDate.optional(),
});
export type VictimStatus = z.infer<typeof VictimStatus>;

export const RiskAssessment = z.object({
  level: RiskLevel,
  summary: z.string().max(5000),
  safetyPlan: z.string().max(5000),
  revisedAt: UnixTime,
});
export type RiskAssessment = z.infer<typeof RiskAssessment>;

export const ReflectionPeriod = z
  .object({ start: IsoDate, end: IsoDate })
  .refine((p) => p.end >= p.start, { path: ['end'], message: 'end before start' });
export type ReflectionPeriod = z.infer<typeof ReflectionPeriod>;

export const CompensationClaim = z.object({
  court: z.string().min(1).max(200),
  status: z.enum(['not-started', 'filed', 'pending', 'decided', 'appealed', 'closed']),
  deadline: IsoDate.optional(),
  reference: z.string().max(100).optional(),
});
export type CompensationClaim = z.infer<typeof CompensationClaim>;

/** Safe-contact preferences every organisation honours. */
export const DoNotContact = z.object({
  byPhone: z.boolean().optional(),
  atAddress: z.boolean().optional(),
  viaFamily: z.boolean().optional(),
  note: z.string().max(500).optional(),
});
export type DoNotContact = z.infer<typeof DoNotContact>;

/**
 * The case data that crosses to another organisation. Every field is optional: the sender
 * projects the case through the consent's field list, so only what the person agreed to share
 * is present. There is deliberately no "cooperates with authorities" field: assistance never
 * depends on it (Directive 2011/36 Art. 11(3)).
 * @NOTE `person` may be shared field by field (`/person/givenName`); the other blocks (status,
 * riskAssessment, reflectionPeriod, compensationClaim, and person.guardian) whole or not at all.
 */
export const HandoverCase = z.object({
  person: CasePerson.optional(),
  status: VictimStatus.optional(),
  indicators: z.array(z.string().min(1).max(200)).max(100).optional(),
  riskAssessment: RiskAssessment.optional(),
  needs: z.array(Need).max(20).optional(),
  /** the case history; a handover after years of work carries all of it (bounded by the envelope limit) */
  notes: z.string().max(1024 * 1024).optional(),
  reflectionPeriod: ReflectionPeriod.optional(),
  compensationClaim: CompensationClaim.optional(),
  doNotContact: DoNotContact.optional(),
});
export type HandoverCase = z.infer<typeof HandoverCase>;

const MAX_ATTACHMENT_BYTES = LIMITS.maxAttachmentBytes;

/**
 * An encrypted attachment (medical certificate, tickets). The key (32 bytes, base64url) opens the
 * secretstream; the signed manifest (chunk hashes, sizes) is checked by the attachment code.
 */
export const AttachmentRef = z.object({
  id: Ulid,
  mediaType: z
    .string()
    .max(127)
    .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'media type'),
  size: z.number().int().min(0).max(MAX_ATTACHMENT_BYTES),
  name: z.string().min(1).max(200).optional(),
  /** exactly 32 bytes: 43 characters, the last one carrying only 2 bits */
  key: z.string().regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, 'key'),
  manifest: z.record(z.string(), z.unknown()),
  manifestSignature: SignatureB64,
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

export const ReferralHandover = z.object({
  referralId: Ulid,
  consent: ConsentRef,
  purpose: Purpose,
  case: HandoverCase,
  /** always travels, under vital interests, whatever the consent allows */
  riskToLife: RiskToLife,
  attachments: z.array(AttachmentRef).max(20).optional(),
  /** set on an onward referral (relay along the route): where the data came from */
  onward: z
    .object({
      from: OrgId,
      chain: z.array(OrgId).min(1).max(10),
    })
    .optional(),
});
export type ReferralHandover = z.infer<typeof ReferralHandover>;

export const ReferralProgress = z.enum(['in-progress', 'person-arrived', 'person-not-arrived', 'lost-contact', 'safe']);
export type ReferralProgress = z.infer<typeof ReferralProgress>;

/**
 * News on a handed-over case, in either direction. `case` is a partial update (only the fields
 * that changed). Case data and attachments need the consent they are shared under.
 */
export const ReferralUpdate = z
  .object({
    referralId: Ulid,
    consent: ConsentRef.optional(),
    case: HandoverCase.optional(),
    status: ReferralProgress.optional(),
    note: z.string().max(5000).optional(),
    riskToLife: RiskToLife.optional(),
    attachments: z.array(AttachmentRef).max(20).optional(),
  })
  .superRefine((update, ctx) => {
    if (update.consent === undefined && (update.case !== undefined || update.attachments !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['consent'], message: 'consent required' });
    }
  });
export type ReferralUpdate = z.infer<typeof ReferralUpdate>;

export const CloseOutcome = z.enum(['completed', 'person-withdrew', 'transferred', 'lost-contact', 'other']);
export type CloseOutcome = z.infer<typeof CloseOutcome>;

export const ReferralClose = z.object({
  referralId: Ulid,
  outcome: CloseOutcome,
  note: z.string().max(1000).optional(),
});
export type ReferralClose = z.infer<typeof ReferralClose>;

export const referralFamily = defineFamily({
  family: 'referral',
  major: 1,
  minor: 0,
  bodies: {
    offer: ReferralOffer,
    accept: ReferralAccept,
    decline: ReferralDecline,
    revoke: ReferralRevoke,
    handover: ReferralHandover,
    update: ReferralUpdate,
    close: ReferralClose,
  },
  personalData: {
    offer: false,
    accept: false,
    decline: false,
    revoke: false,
    handover: true,
    update: true,
    close: false,
  },
});
