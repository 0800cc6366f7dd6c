import { z } from 'zod';
import {
  CasePerson,
  CloseOutcome,
  ConsentGiven,
  ConsentGiver,
  ConsentProcessing,
  ContactPerson,
  CountryCode,
  DeclineReason,
  FieldPointer,
  HandoverCase,
  LanguageTag,
  Need,
  OrgId,
  Purpose,
  ReferralProgress,
  RevokeReason,
  RiskLevel,
  RiskToLife,
  ThreatKind,
  UnixTime,
  Urgency,
} from '../../protocol/index.js';
import type { LocalClient } from '../client.js';

/**
 * The case-work routes of the local API as the CLI speaks them (issue 6): cases, consents,
 * referrals, outbox. Inputs are strict, like the node's (a typo in a file is refused here, before
 * anything is sent); answers are loose (a field added by a newer node is kept and ignored).
 * @TODO share the input shapes with node/case/ through protocol/ once the route table lives there.
 */

const Seconds = z.number().int().nonnegative();
const Ms = z.number().nonnegative();
const Count = z.number().int().nonnegative();

// ---- inputs (what the node's node/case/{cases,consents,referrals}.ts accept) ----

/** the case (node: CaseData) */
export const CaseInput = HandoverCase.extend({ person: CasePerson.strict().optional(), riskToLife: RiskToLife.optional() }).strict();
export type CaseInput = z.infer<typeof CaseInput>;

export const ConsentInput = z.strictObject({
  given: ConsentGiven,
  processing: z.array(ConsentProcessing).min(1).max(10),
  jurisdiction: CountryCode,
  expires: UnixTime,
  notice: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), language: LanguageTag, sha256: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).optional(),
  staffRef: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/),
});
export type ConsentInput = z.infer<typeof ConsentInput>;

const Contact = ContactPerson.strict();
export const OnwardInput = z.strictObject({
  to: OrgId,
  purpose: Purpose,
  needs: z.array(Need).min(1).max(20),
  urgency: Urgency,
  currentCountry: CountryCode,
  destinationCountry: CountryCode.optional(),
  summary: z.string().max(1000).optional(),
  respondBy: UnixTime.optional(),
  contact: Contact,
});
export type OnwardInput = z.infer<typeof OnwardInput>;
export const OfferInput = OnwardInput.extend({ caseId: z.string().min(1).max(64), consentId: z.string().min(1).max(64) }).strict();
export type OfferInput = z.infer<typeof OfferInput>;
export const AcceptInput = z.strictObject({ contact: Contact, note: z.string().max(1000).optional() });
export const DeclineInput = z.strictObject({ reason: DeclineReason, note: z.string().max(1000).optional() });
export const RevokeInput = z.strictObject({ reason: RevokeReason, note: z.string().max(1000).optional() });
export const CloseInput = z.strictObject({ outcome: CloseOutcome, note: z.string().max(1000).optional() });
export const UpdateInput = z.strictObject({ status: ReferralProgress.optional(), note: z.string().max(5000).optional(), fields: z.array(FieldPointer).min(1).max(200).optional() });
export const HandoverInput = z.strictObject({
  fields: z.array(FieldPointer).min(1).max(200).optional(),
  riskToLife: z.strictObject({ level: RiskLevel, threats: z.array(z.strictObject({ kind: ThreatKind, summary: z.string().max(500) })).max(20) }).optional(),
});

export type AcceptInput = z.infer<typeof AcceptInput>;
export type DeclineInput = z.infer<typeof DeclineInput>;
export type RevokeInput = z.infer<typeof RevokeInput>;
export type CloseInput = z.infer<typeof CloseInput>;
export type UpdateInput = z.infer<typeof UpdateInput>;
export type HandoverInput = z.infer<typeof HandoverInput>;

export const WITHDRAW_REASONS = ['withdrawn-by-person', 'withdrawn-by-guardian', 'recorded-in-error'] as const;
export const WithdrawInput = z.strictObject({ by: ConsentGiver, reason: z.enum(WITHDRAW_REASONS).optional() });
export type WithdrawInput = z.infer<typeof WithdrawInput>;

// ---- answers ----

export const CaseOpened = z.looseObject({ id: z.string(), subjectRef: z.string().optional() });

export const CaseRow = z.looseObject({
  id: z.string(),
  state: z.string(),
  origin: z.string(),
  consentId: z.string().nullable().optional(),
  referralId: z.string().nullable().optional(),
  createdAt: Ms,
  updatedAt: Ms,
  closedAt: Ms.nullable().optional(),
});
export type CaseRow = z.infer<typeof CaseRow>;
export const CaseList = z.looseObject({ cases: z.array(CaseRow) });

const Json = z.record(z.string(), z.unknown());
const ContactSeen = z.looseObject({ name: z.string().optional(), role: z.string().optional(), phone: z.string().optional(), email: z.string().optional() });
export type ContactSeen = z.infer<typeof ContactSeen>;

export const ConsentOfCase = z.looseObject({
  id: z.string(),
  version: z.number().int(),
  hash: z.string().optional(),
  status: z.string(),
  expires: Seconds,
  controller: z.string(),
  local: z.boolean(),
  processing: z.array(
    z.looseObject({ purposes: z.array(z.string()), recipients: z.array(z.string()), fields: z.array(z.string()), categories: z.array(z.string()).optional() }),
  ),
});
export type ConsentOfCase = z.infer<typeof ConsentOfCase>;

export const Disclosure = z.looseObject({
  consentId: z.string(),
  consentVersion: z.number().int(),
  referralId: z.string(),
  org: z.string(),
  node: z.string(),
  purpose: z.string(),
  fields: z.array(z.string()),
  attachments: Count.optional(),
  at: Ms,
});
export type Disclosure = z.infer<typeof Disclosure>;

export const CaseDetail = CaseRow.extend({
  data: Json.nullable(),
  consents: z.array(ConsentOfCase),
  referrals: z.array(z.looseObject({ id: z.string(), direction: z.string(), peerOrg: z.string(), state: z.string(), purpose: z.string(), theirContact: ContactSeen.nullable() })),
  disclosures: z.array(Disclosure),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseChanged = z.looseObject({ id: z.string(), data: Json });
export const ConsentRecorded = z.looseObject({ id: z.string(), version: z.number().int(), hash: z.string(), expires: Seconds });

/** GET /api/v1/consents/{id}: every version, who received data under it, and the withdrawal notices with their receipts */
const Notice = z.looseObject({
  org: z.string(),
  sent: z.boolean().optional(),
  sentAt: Ms.nullable().optional(),
  receiptAt: Ms.nullable().optional(),
  escalatedAt: Ms.nullable().optional(),
  onward: z.boolean().optional(),
});
export type Notice = z.infer<typeof Notice>;
export const ConsentDetail = z.looseObject({
  id: z.string(),
  status: z.string(),
  version: z.number().int().optional(),
  controller: z.string().optional(),
  versions: z.array(z.looseObject({ version: z.number().int(), status: z.string(), hash: z.string().optional(), recordedAt: Seconds, expires: Seconds.optional() })),
  recipients: z.array(z.looseObject({ org: z.string(), fields: z.array(z.string()).default([]), firstAt: Ms.optional() })).default([]),
  notices: z.array(Notice).default([]),
});
export type ConsentDetail = z.infer<typeof ConsentDetail>;

export const Referral = z.looseObject({
  id: z.string(),
  direction: z.enum(['outgoing', 'incoming']).or(z.string()),
  caseId: z.string().nullable(),
  peerNode: z.string(),
  peerOrg: z.string(),
  state: z.string(),
  purpose: z.string(),
  offer: Json,
  theirContact: ContactSeen.nullable(),
  ourContact: ContactSeen.or(Json),
  consentId: z.string().nullable(),
  chain: z.array(z.string()),
  parentId: z.string().nullable(),
  reason: z.string().nullable().optional(),
  outcome: z.string().nullable().optional(),
  createdAt: Ms,
  updatedAt: Ms,
});
export type Referral = z.infer<typeof Referral>;
export const ReferralList = z.looseObject({ referrals: z.array(Referral) });
export const ReferralEvent = z.looseObject({ at: Ms, kind: z.string(), org: z.string(), messageId: z.string().nullable(), detail: z.string().nullable() });
export type ReferralEvent = z.infer<typeof ReferralEvent>;
export const ReferralDetail = Referral.extend({ events: z.array(ReferralEvent) });
export type ReferralDetail = z.infer<typeof ReferralDetail>;

export const OutboxItem = z.looseObject({
  id: z.string(),
  to: z.string(),
  thid: z.string(),
  typ: z.string(),
  state: z.string(),
  attempts: Count,
  lastError: z.string().nullable(),
  createdAt: Ms,
  expiresAt: Ms,
  deliveredAt: Ms.nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;
export const OutboxAnswer = z.looseObject({ counts: z.record(z.string(), Count), items: z.array(OutboxItem) });
export type OutboxAnswer = z.infer<typeof OutboxAnswer>;
export const NodeStatus = z.looseObject({ inbox: z.record(z.string(), Count), undelivered: Count });

export type ReferralStep = 'accept' | 'decline' | 'revoke' | 'close' | 'handover' | 'update';

const id = (value: string) => encodeURIComponent(value);
/** a referral list is paged; 500 at a time is every referral of a small organisation */
const PAGE = 500;

export const caseworkApi = {
  createCase: (client: LocalClient, data: CaseInput) => client.post('/api/v1/cases', data, CaseOpened),
  cases: (client: LocalClient, limit = PAGE) => client.get('/api/v1/cases', CaseList, { query: { limit } }),
  case: (client: LocalClient, caseId: string) => client.get(`/api/v1/cases/${id(caseId)}`, CaseDetail),
  // PATCH: the client's method type lists the verbs of the routes it had; the request is the same
  updateCase: (client: LocalClient, caseId: string, change: CaseInput) => client.request('PATCH', `/api/v1/cases/${id(caseId)}`, CaseChanged, { body: change }),
  recordConsent: (client: LocalClient, caseId: string, input: ConsentInput) => client.post(`/api/v1/cases/${id(caseId)}/consents`, input, ConsentRecorded),
  consent: (client: LocalClient, consentId: string) => client.get(`/api/v1/consents/${id(consentId)}`, ConsentDetail),
  withdrawConsent: (client: LocalClient, consentId: string, input: WithdrawInput) => client.post(`/api/v1/consents/${id(consentId)}/withdraw`, input, ConsentDetail),
  refer: (client: LocalClient, input: OfferInput) => client.post('/api/v1/referrals', input, Referral),
  referrals: (client: LocalClient, limit = PAGE) => client.get('/api/v1/referrals', ReferralList, { query: { limit } }),
  referral: (client: LocalClient, referralId: string) => client.get(`/api/v1/referrals/${id(referralId)}`, ReferralDetail),
  step: (client: LocalClient, referralId: string, step: ReferralStep, input: unknown) => client.post(`/api/v1/referrals/${id(referralId)}/${step}`, input, Referral),
  onward: (client: LocalClient, referralId: string, input: OnwardInput) => client.post(`/api/v1/referrals/${id(referralId)}/onward`, input, Referral),
  outbox: (client: LocalClient) => client.get('/api/v1/outbox', OutboxAnswer, { query: { limit: 1000 } }),
  /** what the node counts as overdue (undelivered after 24 h, failed, expired), by its clock */
  overdue: (client: LocalClient) => client.get('/api/v1/outbox', OutboxAnswer, { query: { undelivered: 1 } }),
  status: (client: LocalClient) => client.get('/api/v1/status', NodeStatus),
};
