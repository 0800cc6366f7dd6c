import type { ErrorCode } from '../errors.js';
import type { ServedGroup, ServiceType } from '../directory/profile.js';
import type {
  ConsentRecord,
  CourtTripPlan,
  Gender,
  Need,
  Purpose,
  RiskLevel,
  TaskKind,
  TaskStatus,
  Urgency,
  VictimStatus,
} from '../schemas/index.js';

/** The languages every word of the vocabulary exists in. */
export const VOCABULARY_LANGUAGES = ['en', 'sr', 'mk', 'sq', 'de'] as const;
export type VocabularyLang = (typeof VOCABULARY_LANGUAGES)[number];

type Words<T extends string> = Readonly<Record<T, string>>;

/**
 * The protocol's enumerated values in a case worker's words, one property per enum. Each is a
 * `Record` over the enum, so a new value without a word in every language does not compile.
 */
export type Vocabulary = Readonly<{
  /** every error code, as one sentence */
  code: Words<ErrorCode>;
  /** directory: type of service */
  serviceType: Words<ServiceType>;
  /** directory: who is served */
  served: Words<ServedGroup>;
  /** referral: what the person needs */
  need: Words<Need>;
  /** consent and referral: what the data may be used for */
  purpose: Words<Purpose>;
  urgency: Words<Urgency>;
  gender: Words<Gender>;
  /** risk level of a risk assessment or a risk to life */
  risk: Words<RiskLevel>;
  /** presumed or identified victim */
  victimStatus: Words<VictimStatus['victimStatus']>;
  /** consent: where the consent stands now */
  consentStatus: Words<ConsentRecord['status']>;
  /** court trip: a task's kind */
  taskKind: Words<TaskKind>;
  /** court trip: a task's state */
  taskStatus: Words<TaskStatus>;
  /** court trip: at the court or by video link */
  tripMode: Words<CourtTripPlan['mode']>;
}>;
