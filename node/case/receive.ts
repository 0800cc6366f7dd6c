import {
  type ErrorCode,
  type HandoverCase,
  type InnerMessage,
  type ReferralHandover,
  type ReferralUpdate,
  type SignedConsentRecord,
  type TrustedNodeKey,
  checkReceived,
  messageType,
  verifyConsentRecord,
} from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { MessageService } from '../services/messages.js';
import type { Attachments } from './attachments.js';
import type { CaseData, Cases } from './cases.js';
import type { Consents } from './consents.js';
import type { ReferralStore } from './referral-store.js';

/**
 * What a received, opened and verified message does to the case work, inside the inbox
 * transaction. The receiving node re-checks everything the sender checked: a handover or an
 * update whose fields, recipient, purpose or consent version are not covered is quarantined
 * (ids and a code only, never shown, never applied) and the sender gets a problem report.
 */

export type ReceivedMessage = Pick<InnerMessage, 'id' | 'typ' | 'thid' | 'from' | 'consent'> & { body: Record<string, unknown> };

export interface ReceiveDeps {
  self: { node: string; org: string };
  cases: Cases;
  consents: Consents;
  store: ReferralStore;
  messages: MessageService;
  log: Logger;
  /** the organisation a peer node belongs to (directory or admitted peer) */
  orgOf: (node: string) => string | undefined;
  /** a node key by node and kid (to verify a relayed consent record) */
  nodeKey: (node: string, kid: string) => TrustedNodeKey | undefined;
  /** received attachments are recorded pending here and fetched after the transaction */
  attachments: Pick<Attachments, 'receive'>;
  /** runs `fn` as a savepoint inside the inbox transaction: a failing handler leaves nothing */
  savepoint: (fn: () => void) => void;
}

/** Handlers other parts register (withdrawal, court trips), by message type. */
export type Handler = (m: ReceivedMessage, from: { node: string; org: string }, nowMs: number) => void;

const T = {
  offer: messageType('referral', 'offer'),
  accept: messageType('referral', 'accept'),
  decline: messageType('referral', 'decline'),
  revoke: messageType('referral', 'revoke'),
  handover: messageType('referral', 'handover'),
  update: messageType('referral', 'update'),
  close: messageType('referral', 'close'),
  record: messageType('consent', 'record'),
  problem: messageType('message', 'problem-report'),
};

/** Quarantines a message (ids and a code only) and tells the sender why; also for the handlers other parts register. */
export function quarantineMessage(deps: Pick<ReceiveDeps, 'self' | 'store' | 'messages' | 'log'>, m: ReceivedMessage, from: { node: string }, code: ErrorCode, detail: string | null, nowMs: number, referralId?: string): void {
  const { store } = deps;
  store.quarantine({ messageId: m.id, sender: from.node, typ: m.typ, code, detail, at: nowMs });
  if (referralId && store.get(referralId)) store.event({ referralId, at: nowMs, kind: 'quarantined', org: deps.self.org, messageId: m.id, detail: code });
  try {
    deps.messages.prepare({ to: from.node, typ: T.problem, body: { code, about: m.id } }).enqueue();
  } catch {
    // no usable prekey of the sender right now: the quarantine stands, the report is skipped
  }
  deps.log.warn('message quarantined', { id: m.id, from: from.node, code, ...(detail ? { rule: detail } : {}) });
}

export function createReceiver(deps: ReceiveDeps, extra: Record<string, Handler> = {}) {
  const { store, cases, consents } = deps;
  const quarantine = (m: ReceivedMessage, from: { node: string }, code: ErrorCode, detail: string | null, nowMs: number, referralId?: string) => quarantineMessage(deps, m, from, code, detail, nowMs, referralId);

  /** the consent version a message with case data commits to, checked for this node */
  const covered = (m: ReceivedMessage, from: { org: string }, body: { consent?: { id: string; hash: string }; case?: HandoverCase; purpose: string; attachments?: unknown[] }, nowMs: number) => {
    if (!body.consent || !m.consent || m.consent.id !== body.consent.id || m.consent.hash !== body.consent.hash) return { ok: false as const, code: 'ConsentMissing' as const, detail: 'consent' };
    const held = consents.version(body.consent.id, body.consent.hash);
    if (!held) return { ok: false as const, code: 'ConsentMissing' as const, detail: 'consent' };
    const scope = checkReceived(body.case, held.record, { sender: from.org, recipient: deps.self.org, purpose: body.purpose, now: Math.floor(nowMs / 1000), attachments: (body.attachments?.length ?? 0) > 0 });
    if (!scope.ok) return { ok: false as const, code: scope.problem.code, detail: scope.problem.detail };
    return { ok: true as const, held, fields: scope.value };
  };

  const handlers: Record<string, Handler> = {
    [T.offer]: (m, from, now) => {
      const b = m.body as { referralId: string; purpose: string; contact: Record<string, unknown> } & Record<string, unknown>;
      if (store.get(b.referralId)) return;
      const { contact, ...minimal } = b;
      store.insert({ id: b.referralId, direction: 'incoming', caseId: null, peerNode: from.node, peerOrg: from.org, state: 'offered', purpose: b.purpose, offer: minimal, theirContact: contact, ourContact: {}, consentId: null, chain: [from.org], parentId: null }, now);
      store.event({ referralId: b.referralId, at: now, kind: 'offer-received', org: from.org, messageId: m.id });
    },
    [T.accept]: (m, from, now) => answer(m, from, now, 'accepted', (b) => ({ theirContact: b.contact as Record<string, unknown> })),
    [T.decline]: (m, from, now) => answer(m, from, now, 'declined', (b) => ({ reason: String(b.reason) })),
    [T.revoke]: (m, from, now) => answer(m, from, now, 'revoked', (b) => ({ reason: String(b.reason) })),
    [T.close]: (m, from, now) => answer(m, from, now, 'closed', (b) => ({ outcome: String(b.outcome) })),
    [T.record]: (m, from, now) => {
      const signed = m.body as unknown as SignedConsentRecord;
      const key = deps.nodeKey(signed.signer.node, signed.signer.kid);
      const verified = key ? verifyConsentRecord(signed, key) : null;
      if (!verified?.ok) return quarantine(m, from, verified?.code ?? 'UnknownSenderKey', 'consent record', now);
      const earlier = consents.latest(verified.value.record.id);
      consents.storeReceived(signed, earlier?.caseId ?? null);
    },
    [T.handover]: (m, from, now) => {
      const b = m.body as unknown as ReferralHandover;
      const r = store.get(b.referralId);
      if (!r || r.direction !== 'incoming' || r.peerNode !== from.node) return quarantine(m, from, 'Rejected', 'referral', now);
      if (r.state !== 'accepted') return quarantine(m, from, 'Rejected', `state ${r.state}`, now, r.id);
      const ok = covered(m, from, b, now);
      if (!ok.ok) return quarantine(m, from, ok.code, ok.detail, now, r.id);
      const data: CaseData = { ...(b.case as CaseData), riskToLife: b.riskToLife };
      const opened = cases.open(data, now, { consentId: ok.held.record.id, referralId: r.id });
      consents.attachCase(ok.held.record.id, opened.id);
      store.set(r.id, { state: 'handed-over', caseId: opened.id, consentId: ok.held.record.id }, now);
      if (b.attachments) deps.attachments.receive(b.attachments, { caseId: opened.id, referralId: r.id, from: from.node, nowMs: now });
      store.event({ referralId: r.id, at: now, kind: 'handover-received', org: from.org, messageId: m.id, detail: ok.fields.join(' ') });
      if (b.onward) store.event({ referralId: r.id, at: now, kind: 'custody', org: from.org, detail: [...b.onward.chain, deps.self.org].join(' > ') });
    },
    [T.update]: (m, from, now) => {
      const b = m.body as unknown as ReferralUpdate;
      const r = store.get(b.referralId);
      if (!r || r.peerNode !== from.node) return quarantine(m, from, 'Rejected', 'referral', now);
      if (b.case || b.attachments) {
        const ok = covered(m, from, { ...(b.consent ? { consent: b.consent } : {}), ...(b.case ? { case: b.case } : {}), purpose: r.purpose, ...(b.attachments ? { attachments: b.attachments } : {}) }, now);
        if (!ok.ok) return quarantine(m, from, ok.code, ok.detail, now, r.id);
        if (r.caseId && b.case) cases.update(r.caseId, b.case as CaseData, now);
        if (r.caseId && b.attachments) deps.attachments.receive(b.attachments, { caseId: r.caseId, referralId: r.id, from: from.node, nowMs: now });
      }
      if (b.riskToLife && r.caseId) cases.update(r.caseId, { riskToLife: b.riskToLife } as CaseData, now);
      if (b.note && r.caseId) {
        const c = cases.get(r.caseId);
        if (c?.data) cases.update(r.caseId, { notes: `${c.data.notes ?? ''}\n[${new Date(now).toISOString().slice(0, 10)} ${from.org}] ${b.note}`.trim() }, now);
      }
      store.set(r.id, {}, now);
      store.event({ referralId: r.id, at: now, kind: 'update-received', org: from.org, messageId: m.id, detail: b.status ?? null });
    },
    ...extra,
  };

  function answer(m: ReceivedMessage, from: { node: string; org: string }, now: number, state: 'accepted' | 'declined' | 'revoked' | 'closed', change: (b: Record<string, unknown>) => Record<string, string | Record<string, unknown>>) {
    const id = String(m.body.referralId);
    const r = store.get(id);
    if (!r || r.peerNode !== from.node) return quarantine(m, from, 'Rejected', 'referral', now);
    store.set(id, { state, ...change(m.body) }, now);
    store.event({ referralId: id, at: now, kind: state, org: from.org, messageId: m.id });
  }

  return {
    /** called inside the inbox transaction for every opened message; never throws */
    apply(m: ReceivedMessage, nowMs: number): void {
      const handler = handlers[m.typ];
      if (!handler) return;
      const org = deps.orgOf(m.from);
      if (!org) return deps.log.warn('a message from a node of no known organisation', { from: m.from, id: m.id });
      try {
        deps.savepoint(() => handler(m, { node: m.from, org }, nowMs));
      } catch (error) {
        deps.log.error('applying a message failed', { id: m.id, typ: m.typ, error: error instanceof Error ? error.name : 'unknown' });
        quarantine(m, { node: m.from }, 'Internal', null, nowMs);
      }
    },
  };
}

export type Receiver = ReturnType<typeof createReceiver>;
