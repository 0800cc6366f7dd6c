import type { ErrorCode } from '../errors.js';
import type { ServedGroup, ServiceType } from '../directory/profile.js';
import type {
  AgeBand,
  CloseOutcome,
  CompensationClaim,
  ConsentEvent,
  ConsentGiven,
  ConsentRecord,
  ConsentWithdraw,
  CourtTripPlan,
  DataCategory,
  DeclineReason,
  DeletionAction,
  Gender,
  Need,
  Purpose,
  ReferralProgress,
  RevokeReason,
  RiskLevel,
  TaskKind,
  TaskStatus,
  ThreatKind,
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
  ageBand: Words<AgeBand>;
  /** risk level of a risk assessment or a risk to life */
  risk: Words<RiskLevel>;
  /** who or what is threatened, in a risk to life */
  threatKind: Words<ThreatKind>;
  /** presumed or identified victim */
  victimStatus: Words<VictimStatus['victimStatus']>;
  /** consent: what the person allows to be shared */
  dataCategory: Words<DataCategory>;
  /** consent: where the consent stands now */
  consentStatus: Words<ConsentRecord['status']>;
  /** consent: what happened to it (a version's event) */
  consentChange: Words<ConsentEvent['status']>;
  /** consent: who gave, changed or withdrew it (the giver, or the organisation holding it) */
  consentBy: Words<ConsentEvent['by']>;
  /** consent: written or spoken */
  consentMethod: Words<ConsentGiven['method']>;
  /** consent given for a child: the guardian's relation to them */
  guardianRelation: Words<NonNullable<ConsentGiven['guardian']>['relation']>;
  /** withdrawal: what the recipients must do */
  withdrawInstruction: Words<ConsentWithdraw['instruction']>;
  /** withdrawal: why */
  withdrawReason: Words<NonNullable<ConsentWithdraw['reason']>>;
  /** deletion receipt: what the recipient did */
  deletionAction: Words<DeletionAction>;
  /** referral: why the receiving organisation declined */
  declineReason: Words<DeclineReason>;
  /** referral: why the sender withdrew it */
  revokeReason: Words<RevokeReason>;
  /** referral: news on the person after the handover */
  progress: Words<ReferralProgress>;
  /** referral: how it ended */
  closeOutcome: Words<CloseOutcome>;
  /** case: where a compensation claim stands */
  compensationStatus: Words<CompensationClaim['status']>;
  /** court trip: a task's kind */
  taskKind: Words<TaskKind>;
  /** court trip: a task's state */
  taskStatus: Words<TaskStatus>;
  /** court trip: at the court or by video link */
  tripMode: Words<CourtTripPlan['mode']>;
}>;
