import { z } from 'zod';
import { OrgId, Sha256, Ulid } from '../ids.js';
import { UnixTime } from '../time.js';

/**
 * Pieces shared by the message families of "corridor/1". No schema here transforms its input:
 * what parses is exactly what was signed (minus unknown keys that `z.object` strips).
 */

/** Why data is shared; a consent names the purposes it allows. */
export const Purpose = z.enum(['referral', 'assistance', 'legal-proceedings', 'return-travel', 'reintegration']);
export type Purpose = z.infer<typeof Purpose>;

export const Gender = z.enum(['female', 'male', 'non-binary', 'unknown']);
export type Gender = z.infer<typeof Gender>;

export const AgeBand = z.enum(['0-13', '14-17', '18-25', '26-35', '36-50', '51+', 'unknown']);
export type AgeBand = z.infer<typeof AgeBand>;

/**
 * A language, BCP 47 in its canonical casing: a 2-3 letter ISO 639 code, an optional script and
 * an optional region (`sr`, `sr-Latn`, `sr-Latn-RS`, `de-AT`, `rom`, `fa`).
 */
export const LanguageTag = z
  .string()
  .max(16)
  .regex(/^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$/, 'language tag');
export type LanguageTag = z.infer<typeof LanguageTag>;

/** ISO 3166-1 alpha-2, uppercase (`RS`, `AT`, `MK`; `XK` is used for Kosovo). */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'country code');
export type CountryCode = z.infer<typeof CountryCode>;

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** A date without a time, `YYYY-MM-DD`, that exists in the calendar (`2001-02-30` does not). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date')
  .refine(isCalendarDate, 'date');
export type IsoDate = z.infer<typeof IsoDate>;

export const Urgency = z.enum(['routine', 'urgent', 'emergency']);
export type Urgency = z.infer<typeof Urgency>;

/** What the person needs from the receiving organisation. */
export const Need = z.enum([
  'shelter',
  'medical',
  'psychological',
  'legal-aid',
  'interpretation',
  'return-assistance',
  'reintegration',
  'child-protection',
  'financial',
  'documents',
  'other',
]);
export type Need = z.infer<typeof Need>;

/** A phone number as people write it: `+381 11 123 4567`, `(01) 581 18 81`. */
export const Phone = z
  .string()
  .max(32)
  .regex(/^\+?[0-9(][0-9 ()./-]{3,31}$/, 'phone');
export type Phone = z.infer<typeof Phone>;

export const Email = z.email().max(254);
export type Email = z.infer<typeof Email>;

/** The named contact person at an organisation (a staff member, not the person referred). */
export const ContactPerson = z.object({
  name: z.string().min(1).max(200),
  role: z.string().max(100).optional(),
  phone: Phone.optional(),
  email: Email.optional(),
});
export type ContactPerson = z.infer<typeof ContactPerson>;

/** Which consent record (id and SHA-256 of its signed version) a body is shared under. */
export const ConsentRef = z.object({
  id: Ulid,
  hash: Sha256,
});
export type ConsentRef = z.infer<typeof ConsentRef>;

export const RiskLevel = z.enum(['none', 'low', 'medium', 'high', 'imminent']);
export type RiskLevel = z.infer<typeof RiskLevel>;

export const ThreatKind = z.enum(['to-person', 'to-child', 'to-family', 'from-trafficker', 'self-harm', 'other']);
export type ThreatKind = z.infer<typeof ThreatKind>;

/**
 * Risk to life or well-being of the person, their family or staff. It travels under its own
 * legal basis (vital interests, GDPR Art. 9(2)(c)), not under the consent, so it may be shared
 * even when the person's other data is withheld (TRM referral step 2).
 */
export const RiskToLife = z.object({
  basis: z.literal('vital-interests'),
  level: RiskLevel,
  threats: z
    .array(
      z.object({
        kind: ThreatKind,
        summary: z.string().max(500),
      }),
    )
    .max(20),
  assessedAt: UnixTime,
  assessedBy: OrgId,
});
export type RiskToLife = z.infer<typeof RiskToLife>;
