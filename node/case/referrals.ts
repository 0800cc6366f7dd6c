import { z } from 'zod';
import {
  type Clock,
  ContactPerson,
  CountryCode,
  DeclineReason,
  CloseOutcome,
  FieldPointer,
  type HandoverCase,
  Need,
  OrgId,
  ProtocolError,
  Purpose,
  ReferralProgress,
  RevokeReason,
  RiskLevel,
  ThreatKind,
  UnixTime,
  Ulid,
  Urgency,
  messageType,
  newId,
  projectCase,
  sectionFor,
} from '../../protocol/index.js';
import type { MessageService } from '../services/messages.js';
import type { Attachments } from './attachments.js';
import type { Cases } from './cases.js';
import type { Consents, HeldConsent } from './consents.js';
import type { ReferralRow, ReferralStore } from './referral-store.js';

/**
 * The referring side's actions and the receiving side's answers: offer (minimal, not identifying)
 * → accept or decline → handover of the case projected through the consent → updates → close;
 * the sender may revoke. Every message of a referral travels in the referral's thread, so the
 * consent record always arrives before the handover it covers. What leaves is decided by
 * `projectCase` alone; the ledger records it in the same transaction as the message.
 */

export const OfferInput = z.strictObject({
  caseId: z.string().min(1).max(64),
  to: OrgId,
  purpose: Purpose,
  consentId: z.string().min(1).max(64),
  needs: z.array(Need).min(1).max(20),
  urgency: Urgency,
  currentCountry: CountryCode,
  destinationCountry: CountryCode.optional(),
  /** written without identifying details */
  summary: z.string().max(1000).optional(),
  respondBy: UnixTime.optional(),
  contact: ContactPerson.strict(),
});
export const AcceptInput = z.strictObject({ contact: ContactPerson.strict(), note: z.string().max(1000).optional() });
export const DeclineInput = z.strictObject({ reason: DeclineReason, note: z.string().max(1000).optional() });
export const RevokeInput = z.strictObject({ reason: RevokeReason, note: z.string().max(1000).optional() });
export const CloseInput = z.strictObject({ outcome: CloseOutcome, note: z.string().max(1000).optional() });
export const RiskInput = z.strictObject({ level: RiskLevel, threats: z.array(z.strictObject({ kind: ThreatKind, summary: z.string().max(500) })).max(20) });
export const UpdateInput = z.strictObject({
  status: ReferralProgress.optional(),
  note: z.string().max(5000).optional(),
  /** case fields to share again (changed since the handover), through the consent */
  fields: z.array(FieldPointer).min(1).max(200).optional(),
  /** attachments of the case (ids) to send; the consent must list `/attachments` */
  attachments: z.array(Ulid).min(1).max(20).optional(),
});
export const OnwardInput = OfferInput.omit({ caseId: true, consentId: true });
export const HandoverInput = z.strictObject({
  /** only these fields (pointers); all the consent allows when left out */
  fields: z.array(FieldPointer).min(1).max(200).optional(),
  riskToLife: RiskInput.optional(),
  /** attachments of the case (ids) to send with it; the consent must list `/attachments` */
  attachments: z.array(Ulid).min(1).max(20).optional(),
});

export interface ReferralDeps {
  self: { node: string; org: string };
  clock: Clock;
  cases: Cases;
  consents: Consents;
  store: ReferralStore;
  messages: MessageService;
  transaction: (fn: () => void) => void;
  attachments: Pick<Attachments, 'refs' | 'disclose'>;
  /** the node of an organisation (from the directory), or NotFound */
  nodeOf: (org: string) => string;
  /** the freeze: a new referral needs a fresh directory */
  mayStartReferral: () => void;
}

const REFERRAL = (name: 'offer' | 'accept' | 'decline' | 'revoke' | 'handover' | 'update' | 'close') => messageType('referral', name);

export function createReferrals(deps: ReferralDeps) {
  const { store, cases, consents } = deps;
  const now = () => deps.clock.now();
  const seconds = () => Math.floor(now() / 1000);

  const usableConsent = (id: string, caseId: string): HeldConsent => {
    const held = consents.latest(id);
    if (!held || held.caseId !== caseId) throw new ProtocolError('ConsentMissing', 'no such consent for this case');
    return held;
  };
  const scopeError = (problem: { code: 'ConsentScope' | 'ConsentWithdrawn' | 'ConsentExpired'; detail: string }): ProtocolError =>
    new ProtocolError(problem.code, problem.code === 'ConsentScope' ? `the consent does not cover the ${/^\//.test(problem.detail) ? `field ${problem.detail}` : problem.detail}` : undefined, {
      issues: [{ path: problem.detail, problem: 'not_covered_by_consent' }],
    });

  /** send one referral message in the referral's thread, with `change` in the same transaction */
  const send = (r: Pick<ReferralRow, 'id' | 'peerNode'>, typ: string, body: Record<string, unknown>, change: (messageId: string) => void, consent?: { id: string; hash: string }) => {
    const prepared = deps.messages.prepare({ to: r.peerNode, typ, body, thid: r.id, ...(consent ? { consent } : {}) });
    deps.transaction(() => {
      change(prepared.id);
      prepared.enqueue();
    });
    return prepared.id;
  };

  function offer(input: z.infer<typeof OfferInput>): ReferralRow {
    const c = cases.require(input.caseId);
    const held = usableConsent(input.consentId, c.id);
    return offerFor(c.id, held, input, { parentId: null, chain: [deps.self.org] });
  }

  /** the offer's body as it leaves the node: minimal, not identifying; the same for the preview and the send */
  function offerBody(caseId: string, held: HeldConsent, input: z.infer<typeof OnwardInput>, referralId: string) {
    deps.mayStartReferral();
    const c = cases.require(caseId);
    if (!c.data) throw new ProtocolError('NotFound', 'the case was purged');
    // the consent must name this recipient and purpose before anything is offered
    const scope = sectionFor(held.record, { sender: deps.self.org, recipient: input.to, purpose: input.purpose, now: seconds() });
    if (!scope.ok) throw scopeError(scope.problem);
    const peerNode = deps.nodeOf(input.to);
    const p = c.data.person ?? {};
    const body = {
      referralId,
      needs: input.needs,
      languages: p.languages ?? [],
      gender: p.gender ?? 'unknown',
      ageBand: p.ageBand ?? 'unknown',
      child: p.child ?? false,
      currentCountry: input.currentCountry,
      ...(input.destinationCountry ? { destinationCountry: input.destinationCountry } : {}),
      urgency: input.urgency,
      purpose: input.purpose,
      ...(input.summary ? { summary: input.summary } : {}),
      contact: input.contact,
      ...(input.respondBy ? { respondBy: input.respondBy } : {}),
    };
    return { c, peerNode, body };
  }

  function offerFor(caseId: string, held: HeldConsent, input: z.infer<typeof OnwardInput>, custody: { parentId: string | null; chain: string[] }): ReferralRow {
    const { c, peerNode, body } = offerBody(caseId, held, input, newId(now()));
    const { contact: _contact, ...minimal } = body;
    const row = { id: body.referralId, direction: 'outgoing' as const, caseId: c.id, peerNode, peerOrg: input.to, state: 'offered' as const, purpose: input.purpose, offer: minimal, ourContact: input.contact, consentId: held.record.id, chain: custody.chain, parentId: custody.parentId };
    send(row, REFERRAL('offer'), body, (messageId) => {
      store.insert(row, now());
      store.event({ referralId: row.id, at: now(), kind: 'offered', org: deps.self.org, messageId, detail: input.to });
    });
    return store.require(row.id);
  }

  /**
   * What `offer` would send, without sending or storing anything: the exact body (its referral id
   * left out: a new one is drawn on sending) and its fields as pointers. Refused exactly as the
   * offer would be (consent, recipient, purpose, fresh directory).
   */
  function previewOffer(input: z.infer<typeof OfferInput>): { body: Record<string, unknown>; fields: string[] } {
    const c = cases.require(input.caseId);
    const held = usableConsent(input.consentId, c.id);
    const { referralId: _id, ...body } = offerBody(c.id, held, input, '').body;
    return { body, fields: Object.keys(body).map((k) => `/${k}`) };
  }

  const incoming = (id: string, states: ReferralRow['state'][]): ReferralRow => {
    const r = store.require(id);
    if (r.direction !== 'incoming') throw new ProtocolError('InvalidRequest', 'only the receiving organisation can do this', { issues: [{ path: 'id', problem: 'wrong_side' }] });
    if (!states.includes(r.state)) throw new ProtocolError('InvalidRequest', `the referral is ${r.state}`, { issues: [{ path: 'state', problem: r.state }] });
    return r;
  };
  const outgoing = (id: string, states: ReferralRow['state'][]): ReferralRow => {
    const r = store.require(id);
    if (r.direction !== 'outgoing') throw new ProtocolError('InvalidRequest', 'only the referring organisation can do this', { issues: [{ path: 'id', problem: 'wrong_side' }] });
    if (!states.includes(r.state)) throw new ProtocolError('InvalidRequest', `the referral is ${r.state}`, { issues: [{ path: 'state', problem: r.state }] });
    return r;
  };

  function accept(id: string, input: z.infer<typeof AcceptInput>): ReferralRow {
    const r = incoming(id, ['offered']);
    send(r, REFERRAL('accept'), { referralId: r.id, contact: input.contact, ...(input.note ? { note: input.note } : {}) }, () => {
      store.set(r.id, { state: 'accepted' }, now());
      store.event({ referralId: r.id, at: now(), kind: 'accepted', org: deps.self.org });
    });
    return store.require(r.id);
  }

  function decline(id: string, input: z.infer<typeof DeclineInput>): ReferralRow {
    const r = incoming(id, ['offered']);
    send(r, REFERRAL('decline'), { referralId: r.id, reason: input.reason, ...(input.note ? { note: input.note } : {}) }, () => {
      store.set(r.id, { state: 'declined', reason: input.reason }, now());
      store.event({ referralId: r.id, at: now(), kind: 'declined', org: deps.self.org, detail: input.reason });
    });
    return store.require(r.id);
  }

  /** the handover's body: the case projected through the consent; the same for the preview and the send */
  function handoverBody(r: ReferralRow, input: z.infer<typeof HandoverInput>) {
    const c = cases.require(r.caseId ?? '');
    if (!c.data) throw new ProtocolError('NotFound', 'the case was purged');
    const held = consents.latest(r.consentId ?? '');
    if (!held) throw new ProtocolError('ConsentMissing', 'no consent for this referral');
    const projected = projectCase(c.data as HandoverCase, held.record, { sender: deps.self.org, recipient: r.peerOrg, purpose: r.purpose, now: seconds(), ...(input.fields ? { requested: input.fields } : {}), attachments: input.attachments !== undefined });
    if (!projected.ok) throw scopeError(projected.problem);
    const attachments = input.attachments ? deps.attachments.refs(c.id, input.attachments) : [];
    const risk = input.riskToLife ?? { level: c.data.riskAssessment?.level ?? 'none', threats: [] };
    const ref = { id: held.record.id, hash: held.hash };
    const body = {
      referralId: r.id,
      consent: ref,
      purpose: r.purpose,
      case: projected.value.case,
      riskToLife: { basis: 'vital-interests', level: risk.level, threats: risk.threats, assessedAt: seconds(), assessedBy: deps.self.org },
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(r.parentId ? { onward: { from: deps.self.org, chain: r.chain } } : {}),
    };
    return { c, held, ref, body, fields: projected.value.fields, attachments };
  }

  /** The case projected through the consent; the record travels first, in the same thread. */
  function handover(id: string, input: z.infer<typeof HandoverInput>): ReferralRow {
    const r = outgoing(id, ['accepted']);
    const { c, held, ref, body, fields, attachments } = handoverBody(r, input);
    const recordMsg = deps.messages.prepare({ to: r.peerNode, typ: messageType('consent', 'record'), body: held.signed as unknown as Record<string, unknown>, thid: r.id });
    const handoverMsg = deps.messages.prepare({ to: r.peerNode, typ: REFERRAL('handover'), body, thid: r.id, consent: ref });
    deps.transaction(() => {
      recordMsg.enqueue();
      handoverMsg.enqueue();
      store.set(r.id, { state: 'handed-over' }, now());
      store.event({ referralId: r.id, at: now(), kind: 'handed-over', org: deps.self.org, messageId: handoverMsg.id, detail: fields.join(' ') });
      store.disclose({ consentId: held.record.id, consentVersion: held.record.version, consentHash: held.hash, caseId: c.id, referralId: r.id, org: r.peerOrg, node: r.peerNode, messageId: handoverMsg.id, purpose: r.purpose, fields, attachments: attachments.length, at: now() });
      deps.attachments.disclose(attachments, { caseId: c.id, referralId: r.id, org: r.peerOrg, node: r.peerNode, messageId: handoverMsg.id, at: now() });
    });
    return store.require(r.id);
  }

  /** What `handover` would send, without sending: the exact body and the case's fields as pointers; refused as the handover would be. */
  function previewHandover(id: string, input: z.infer<typeof HandoverInput>): { body: Record<string, unknown>; fields: string[] } {
    const r = outgoing(id, ['accepted']);
    const { body, fields } = handoverBody(r, input);
    return { body, fields };
  }

  function revoke(id: string, input: z.infer<typeof RevokeInput>): ReferralRow {
    const r = outgoing(id, ['offered', 'accepted', 'handed-over']);
    send(r, REFERRAL('revoke'), { referralId: r.id, reason: input.reason, ...(input.note ? { note: input.note } : {}) }, () => {
      store.set(r.id, { state: 'revoked', reason: input.reason }, now());
      store.event({ referralId: r.id, at: now(), kind: 'revoked', org: deps.self.org, detail: input.reason });
    });
    return store.require(r.id);
  }

  function close(id: string, input: z.infer<typeof CloseInput>): ReferralRow {
    const r = store.require(id);
    if (r.state === 'closed' || r.state === 'revoked' || r.state === 'declined') throw new ProtocolError('InvalidRequest', `the referral is ${r.state}`, { issues: [{ path: 'state', problem: r.state }] });
    send(r, REFERRAL('close'), { referralId: r.id, outcome: input.outcome, ...(input.note ? { note: input.note } : {}) }, () => {
      store.set(r.id, { state: 'closed', outcome: input.outcome }, now());
      store.event({ referralId: r.id, at: now(), kind: 'closed', org: deps.self.org, detail: input.outcome });
    });
    return store.require(r.id);
  }

  /**
   * News on a referral in either direction: progress, a note, and case fields again (through the
   * consent: to the recipient as on the handover, or back to the organisation that recorded it).
   */
  function update(id: string, input: z.infer<typeof UpdateInput>): ReferralRow {
    const r = store.require(id);
    if (r.state !== 'handed-over' && r.state !== 'accepted') throw new ProtocolError('InvalidRequest', `the referral is ${r.state}`, { issues: [{ path: 'state', problem: r.state }] });
    let shared: { case: HandoverCase; fields: string[]; held: HeldConsent } | null = null;
    let attachments: ReturnType<Attachments['refs']> = [];
    if (input.fields || input.attachments) {
      const c = cases.require(r.caseId ?? '');
      const held = consents.latest(r.consentId ?? '');
      if (!c.data || !held) throw new ProtocolError('ConsentMissing', 'no case data or consent for this referral');
      const projected = projectCase(c.data as HandoverCase, held.record, { sender: deps.self.org, recipient: r.peerOrg, purpose: r.purpose, now: seconds(), requested: input.fields ?? [], attachments: input.attachments !== undefined });
      if (!projected.ok) throw scopeError(projected.problem);
      shared = { ...projected.value, held };
      if (input.attachments) attachments = deps.attachments.refs(c.id, input.attachments);
    }
    const body = {
      referralId: r.id,
      ...(input.status ? { status: input.status } : {}),
      ...(input.note ? { note: input.note } : {}),
      ...(shared ? { consent: { id: shared.held.record.id, hash: shared.held.hash }, ...(input.fields ? { case: shared.case } : {}) } : {}),
      ...(attachments.length > 0 ? { attachments } : {}),
    };
    // an update is a message type that may carry personal data: it always names the consent it is under
    const current = shared?.held ?? (r.consentId ? consents.latest(r.consentId) : undefined);
    if (!current) throw new ProtocolError('ConsentMissing', 'no consent for this referral yet');
    const consent = { id: current.record.id, hash: current.hash };
    send(r, REFERRAL('update'), body, (messageId) => {
      store.set(r.id, {}, now());
      store.event({ referralId: r.id, at: now(), kind: 'updated', org: deps.self.org, messageId, detail: input.status ?? null });
      if (shared && r.caseId) {
        store.disclose({ consentId: shared.held.record.id, consentVersion: shared.held.record.version, consentHash: shared.held.hash, caseId: r.caseId, referralId: r.id, org: r.peerOrg, node: r.peerNode, messageId, purpose: r.purpose, fields: shared.fields, attachments: attachments.length, at: now() });
        deps.attachments.disclose(attachments, { caseId: r.caseId, referralId: r.id, org: r.peerOrg, node: r.peerNode, messageId, at: now() });
      }
    }, consent);
    return store.require(r.id);
  }

  /**
   * Onward referral along the route: a case this node received goes on to the next organisation,
   * only where the consent's onward sharing names it; the chain of custody grows by this node.
   */
  function onward(id: string, input: z.infer<typeof OnwardInput>): ReferralRow {
    const parent = incoming(id, ['handed-over']);
    if (!parent.caseId || !parent.consentId) throw new ProtocolError('ConsentMissing', 'nothing was handed over on this referral');
    const held = consents.latest(parent.consentId);
    if (!held) throw new ProtocolError('ConsentMissing', 'no consent for this referral');
    const scope = sectionFor(held.record, { sender: deps.self.org, recipient: input.to, purpose: input.purpose, now: seconds() });
    if (!scope.ok) throw scopeError(scope.problem);
    const created = offerFor(parent.caseId, held, input, { parentId: parent.id, chain: [...parent.chain, deps.self.org] });
    store.event({ referralId: parent.id, at: now(), kind: 'referred-onward', org: deps.self.org, detail: `${created.id} ${input.to}` });
    return created;
  }

  return { offer, previewOffer, accept, decline, handover, previewHandover, update, onward, revoke, close, send, scopeError };
}

export type Referrals = ReturnType<typeof createReferrals>;
