import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import {
  type Clock,
  ConsentGiver,
  type ConsentWithdraw,
  type DeletionAction,
  DeletionAction as DeletionActions,
  type DeletionReceipt,
  type ErrorCode,
  messageType,
} from '../../protocol/index.js';
import type { AuditRecorder } from '../audit/log.js';
import type { Logger } from '../logger.js';
import type { MessageService } from '../services/messages.js';
import type { Consents, HeldConsent } from './consents.js';
import type { Handler, ReceivedMessage } from './receive.js';
import type { Disclosure, ReferralStore } from './referral-store.js';
import type { LegalHold, PurgeReason, Retention } from './retention.js';
import { atomically as inTransaction } from '../db/client.js';

/**
 * Withdrawal and expiry of a consent across the network (DESIGN 4, protocol 10.4). The recording
 * organisation signs a new version ("withdrawn" or "expired") and sends it, with a
 * `consent/withdraw`, to every organisation of the disclosure ledger, in the thread of the
 * referral that carried the data. A recipient purges what it received under that consent
 * (unless a legal hold keeps it, which it states), forwards the withdrawal to its own onward
 * recipients, and answers with a `consent/deletion-receipt`: the inner message, signed by its
 * node key, is kept in the message table. A notice without a receipt escalates after N days.
 * Expiry is the dead-man's switch: every node purges on its own when the consent runs out.
 */

export const WithdrawInput = z.strictObject({
  by: ConsentGiver,
  reason: z.enum(['withdrawn-by-person', 'withdrawn-by-guardian', 'recorded-in-error']).optional(),
});
export type WithdrawInput = z.infer<typeof WithdrawInput>;

type Reason = NonNullable<ConsentWithdraw['reason']>;
type Alert = { at: number; kind: string; peer?: string | null; messageId?: string | null; code?: string | null };

export interface WithdrawalDeps {
  sqlite: Database.Database;
  self: { node: string; org: string };
  clock: Clock;
  log: Logger;
  consents: Consents;
  store: ReferralStore;
  messages: MessageService;
  retention: Retention;
  /** the organisation of a node (directory or admitted peer) */
  orgOf: (node: string) => string | undefined;
  /** the node of an organisation (to copy a receipt to the controller) */
  nodeOf: (org: string) => string | undefined;
  alert: (a: Alert) => void;
  /** days a withdrawal notice may wait for its deletion receipt */
  escalationDays: number;
  /** the audit log: `withdrawal-applied` when a notice purges what we received */
  audit?: AuditRecorder;
}

export interface NoticeRow {
  consentId: string;
  org: string;
  node: string;
  messageId: string | null;
  sentAt: number;
  receiptAt: number | null;
  receipt: string | null;
  escalatedAt: number | null;
}

const T = {
  record: messageType('consent', 'record'),
  withdraw: messageType('consent', 'withdraw'),
  receipt: messageType('consent', 'deletion-receipt'),
  problem: messageType('message', 'problem-report'),
};
const DAY_MS = 86_400_000;

export function createWithdrawal(deps: WithdrawalDeps) {
  const { sqlite, consents, store, retention } = deps;
  const q = {
    notice: sqlite.prepare(`SELECT * FROM withdrawal_notice WHERE consentId = ? AND org = ?`),
    notices: sqlite.prepare(`SELECT * FROM withdrawal_notice WHERE consentId = ? ORDER BY sentAt, org`),
    upsert: sqlite.prepare(
      `INSERT INTO withdrawal_notice (consentId, org, node, messageId, sentAt) VALUES (@consentId, @org, @node, @messageId, @sentAt)
       ON CONFLICT (consentId, org) DO UPDATE SET messageId = excluded.messageId, node = excluded.node WHERE withdrawal_notice.messageId IS NULL`,
    ),
    receipt: sqlite.prepare(`UPDATE withdrawal_notice SET receiptAt = @at, receipt = @receipt WHERE consentId = @consentId AND org = @org`),
    // an onward recipient the controller learns of from a receipt: no message of ours, but a receipt is due
    learned: sqlite.prepare(`INSERT OR IGNORE INTO withdrawal_notice (consentId, org, node, messageId, sentAt) VALUES (@consentId, @org, @node, NULL, @sentAt)`),
    overdue: sqlite.prepare(`SELECT * FROM withdrawal_notice WHERE receiptAt IS NULL AND escalatedAt IS NULL AND sentAt <= ? ORDER BY sentAt LIMIT 500`),
    escalate: sqlite.prepare(`UPDATE withdrawal_notice SET escalatedAt = @at WHERE consentId = @consentId AND org = @org`),
    sources: sqlite.prepare(`SELECT DISTINCT peerOrg FROM referral WHERE consentId = ? AND direction = 'incoming'`),
    casesUnder: sqlite.prepare(`SELECT id, state FROM case_file WHERE consentId = ? AND origin = 'received'`),
    versions: sqlite.prepare(`SELECT version, hash, status, controller, recordedAt, expires, local FROM consent WHERE id = ? ORDER BY version`),
    // ended consents whose ledger names an organisation not yet sent a notice (none, or no prekey then)
    unsent: sqlite.prepare(
      `SELECT DISTINCT d.consentId AS consentId FROM disclosure d
       WHERE (SELECT status FROM consent WHERE id = d.consentId ORDER BY version DESC LIMIT 1) != 'given'
         AND NOT EXISTS (SELECT 1 FROM withdrawal_notice w WHERE w.consentId = d.consentId AND w.org = d.org AND w.messageId IS NOT NULL)
         AND d.org != (SELECT controller FROM consent WHERE id = d.consentId LIMIT 1)
         AND d.org NOT IN (SELECT peerOrg FROM referral WHERE consentId = d.consentId AND direction = 'incoming')
       LIMIT 200`,
    ),
    // consents recorded here, still "given" in their latest version, past their expiry
    localExpired: sqlite.prepare(
      `SELECT id FROM consent c WHERE local = 1 AND status = 'given' AND expires <= ? AND version = (SELECT max(version) FROM consent WHERE id = c.id) LIMIT 200`,
    ),
    // received cases still held whose consent has ended: a new version came, or its expiry passed
    endedReceived: sqlite.prepare(
      `SELECT cf.id AS id, c.status AS status FROM case_file cf JOIN consent c ON c.id = cf.consentId
       WHERE cf.origin = 'received' AND cf.state != 'purged' AND c.version = (SELECT max(version) FROM consent WHERE id = cf.consentId)
         AND (c.status != 'given' OR c.expires <= ?)
       LIMIT 500`,
    ),
  };
  const atomically = (fn: () => void) => inTransaction(sqlite, fn);
  const seconds = (ms: number) => Math.floor(ms / 1000);

  /** the reason a record's own status gives (used when the notice is sent again later) */
  const reasonOf = (held: HeldConsent): Reason => {
    if (held.record.status === 'expired') return 'expired';
    const by = held.record.events.at(-1)?.by;
    return by === 'data-subject' ? 'withdrawn-by-person' : 'withdrawn-by-guardian';
  };
  /** who must not get the notice from us: ourselves, the controller, and whoever gave us the data */
  const exclusions = (held: HeldConsent): Set<string> => {
    const sources = (q.sources.all(held.record.id) as { peerOrg: string }[]).map((r) => r.peerOrg);
    return new Set([deps.self.org, held.record.controller, ...sources]);
  };

  /**
   * Sends the ended record and a withdraw notice to every organisation of our ledger for this
   * consent (one transaction per recipient), recording a notice row each. A recipient whose
   * prekey is not usable now gets a row without a message id; the sweep sends it later.
   * Returns the organisations notified (or to be notified).
   */
  function notify(held: HeldConsent, reason: Reason, nowMs: number): string[] {
    const skip = exclusions(held);
    const targets = new Map<string, Disclosure>();
    for (const d of store.ledger(held.record.id)) if (!skip.has(d.org) && !targets.has(d.org)) targets.set(d.org, d);
    const body: ConsentWithdraw = { consentId: held.record.id, newVersion: held.record.version, newHash: held.hash, effectiveAt: held.record.recordedAt, instruction: 'erase', reason };
    for (const [org, d] of targets) {
      const row = { consentId: held.record.id, org, node: d.node, sentAt: nowMs };
      if ((q.notice.get(held.record.id, org) as NoticeRow | undefined)?.messageId) continue;
      let prepared: { record: { id: string; enqueue: () => void }; withdraw: { id: string; enqueue: () => void } };
      try {
        prepared = {
          record: deps.messages.prepare({ to: d.node, typ: T.record, body: held.signed as unknown as Record<string, unknown>, thid: d.referralId }),
          withdraw: deps.messages.prepare({ to: d.node, typ: T.withdraw, body: body as unknown as Record<string, unknown>, thid: d.referralId }),
        };
      } catch (error) {
        deps.log.warn('withdrawal notice waits: no usable prekey of the recipient', { consent: held.record.id, to: d.node, error: error instanceof Error ? error.name : 'unknown' });
        atomically(() => q.upsert.run({ ...row, messageId: null }));
        continue;
      }
      atomically(() => {
        prepared.record.enqueue();
        prepared.withdraw.enqueue();
        q.upsert.run({ ...row, messageId: prepared.withdraw.id });
        if (store.get(d.referralId)) store.event({ referralId: d.referralId, at: nowMs, kind: 'withdrawal-sent', org: deps.self.org, messageId: prepared.withdraw.id, detail: reason });
      });
    }
    return [...targets.keys()];
  }

  /** At the recording organisation: the person (or guardian) withdraws; every recipient hears it. */
  function withdraw(consentId: string, input: WithdrawInput) {
    const nowMs = deps.clock.now();
    const ended = consents.endLocal(consentId, 'withdrawn', input.by, nowMs);
    const reason: Reason = input.reason ?? (input.by === 'data-subject' ? 'withdrawn-by-person' : 'withdrawn-by-guardian');
    notify(ended, reason, nowMs);
    deps.log.info('consent withdrawn', { consent: consentId, version: ended.record.version });
    return status(consentId);
  }

  /** a withdrawal or receipt that does not fit: kept as ids and a code, the sender hears why */
  const refuse = (m: ReceivedMessage, from: { node: string }, code: ErrorCode, detail: string, nowMs: number) => {
    store.quarantine({ messageId: m.id, sender: from.node, typ: m.typ, code, detail, at: nowMs });
    if (store.get(m.thid)) store.event({ referralId: m.thid, at: nowMs, kind: 'quarantined', org: deps.self.org, messageId: m.id, detail: code });
    try {
      deps.messages.prepare({ to: from.node, typ: T.problem, body: { code, about: m.id } }).enqueue();
    } catch {
      // no usable prekey of the sender right now: the quarantine stands, the report is skipped
    }
    deps.log.warn('withdrawal message refused', { id: m.id, from: from.node, code, rule: detail });
  };

  const holdOf = (hold: LegalHold): NonNullable<DeletionReceipt['legalHold']> => ({
    basis: 'dpv:LegalObligation',
    reason: hold.reason,
    ...(hold.court ? { court: hold.court } : {}),
    ...(hold.until ? { until: hold.until } : {}),
  });

  /** purges every case received under the consent; what was done, and a hold if one keeps data */
  function purgeReceived(consentId: string, reason: PurgeReason, nowMs: number): { actions: Set<DeletionAction>; hold?: LegalHold } {
    const actions = new Set<DeletionAction>(['stopped-processing']);
    let hold: LegalHold | undefined;
    for (const c of q.casesUnder.all(consentId) as { id: string; state: string }[]) {
      if (c.state === 'purged') {
        actions.add('deleted-case-data');
        continue;
      }
      const done = retention.purge(c.id, reason, nowMs);
      if (done.purged) actions.add('deleted-case-data');
      if (done.attachments > 0) actions.add('deleted-attachments');
      if (done.hold) hold = done.hold;
    }
    return hold ? { actions, hold } : { actions };
  }

  const onWithdraw: Handler = (m, from, nowMs) => {
    const b = m.body as unknown as ConsentWithdraw;
    // the ended version must already be held: it travels first, in the same thread
    const held = consents.version(b.consentId, b.newHash);
    if (!held || held.record.version !== b.newVersion) return refuse(m, from, 'ConsentMissing', 'consent', nowMs);
    if (held.record.status === 'given') return refuse(m, from, 'Rejected', 'status', nowMs);
    const signerOrg = held.signed.signer.node === deps.self.node ? deps.self.org : deps.orgOf(held.signed.signer.node);
    if (signerOrg !== held.record.controller) return refuse(m, from, 'Rejected', 'signer', nowMs);
    if (held.record.controller === deps.self.org) return refuse(m, from, 'Rejected', 'controller', nowMs);
    const sources = (q.sources.all(b.consentId) as { peerOrg: string }[]).map((r) => r.peerOrg);
    if (from.org !== held.record.controller && !sources.includes(from.org)) return refuse(m, from, 'Rejected', 'sender', nowMs);

    const expired = b.reason === 'expired' || held.record.status === 'expired';
    const { actions, hold } = purgeReceived(b.consentId, expired ? 'consent-expired' : 'consent-withdrawn', nowMs);
    deps.audit?.record({ kind: 'withdrawal-applied', actor: 'self', subject: { consentId: b.consentId, org: held.record.controller, messageId: m.id, ...(held.caseId ? { caseId: held.caseId } : {}) }, hashes: { consent: held.hash } });
    const onward = notify(held, b.reason ?? reasonOf(held), nowMs);
    if (onward.length > 0) actions.add('forwarded-withdrawal');
    const receipt: DeletionReceipt = {
      consentId: b.consentId,
      appliedAt: seconds(nowMs),
      actions: DeletionActions.options.filter((a) => actions.has(a)),
      onwardNotified: onward.slice(0, 20),
      ...(hold ? { legalHold: holdOf(hold) } : {}),
    };
    // to the sender in its thread, and a copy to the controller when the data came onward
    const controllerNode = from.org === held.record.controller ? undefined : deps.nodeOf(held.record.controller);
    for (const to of controllerNode ? [from.node, controllerNode] : [from.node]) {
      try {
        deps.messages.prepare({ to, typ: T.receipt, body: receipt as unknown as Record<string, unknown>, ...(to === from.node ? { thid: m.thid } : {}) }).enqueue();
      } catch (error) {
        // the notice escalates at the other end; the purge stands
        deps.log.warn('deletion receipt not sent: no usable prekey', { consent: b.consentId, to, error: error instanceof Error ? error.name : 'unknown' });
      }
    }
    if (store.get(m.thid)) store.event({ referralId: m.thid, at: nowMs, kind: 'withdrawal-received', org: from.org, messageId: m.id, detail: receipt.actions.join(' ') });
  };

  const onReceipt: Handler = (m, from, nowMs) => {
    const b = m.body as unknown as DeletionReceipt;
    const held = consents.latest(b.consentId);
    // the controller collects receipts from the whole chain, onward recipients included
    const ours = held !== undefined && held.local && held.record.status !== 'given';
    if (ours) {
      q.learned.run({ consentId: b.consentId, org: from.org, node: from.node, sentAt: nowMs });
      for (const org of b.onwardNotified) if (org !== deps.self.org) q.learned.run({ consentId: b.consentId, org, node: deps.nodeOf(org) ?? '', sentAt: nowMs });
    }
    const changed = q.receipt.run({ consentId: b.consentId, org: from.org, at: nowMs, receipt: JSON.stringify(b) }).changes;
    if (changed === 0) return refuse(m, from, 'Rejected', 'receipt', nowMs);
    if (store.get(m.thid)) store.event({ referralId: m.thid, at: nowMs, kind: 'deletion-receipt', org: from.org, messageId: m.id, detail: b.legalHold ? 'legal-hold' : b.actions.join(' ') });
  };

  /**
   * The periodic pass (node.ts every 30 s; tests call it with the manual clock): expiry at the
   * controller (new version, notices) and at recipients (purge), notices still to send,
   * escalation of missing receipts, retention of closed cases.
   */
  function sweep(nowMs: number) {
    const out = { expired: 0, purged: 0, notified: 0, escalated: 0, retention: 0 };
    for (const { id } of q.localExpired.all(seconds(nowMs)) as { id: string }[]) {
      const ended = consents.endLocal(id, 'expired', 'controller', nowMs);
      out.expired++;
      out.notified += notify(ended, 'expired', nowMs).length;
    }
    // the dead-man's switch: every recipient purges on its own, notice or not
    for (const c of q.endedReceived.all(seconds(nowMs)) as { id: string; status: string }[]) {
      if (retention.purge(c.id, c.status === 'withdrawn' ? 'consent-withdrawn' : 'consent-expired', nowMs).purged) out.purged++;
    }
    for (const { consentId } of q.unsent.all() as { consentId: string }[]) {
      const held = consents.latest(consentId);
      if (held && held.record.status !== 'given') out.notified += notify(held, reasonOf(held), nowMs).length;
    }
    for (const n of q.overdue.all(nowMs - deps.escalationDays * DAY_MS) as NoticeRow[]) {
      atomically(() => {
        q.escalate.run({ consentId: n.consentId, org: n.org, at: nowMs });
        deps.alert({ at: nowMs, kind: 'deletion-receipt-missing', peer: n.node || n.org, messageId: n.messageId, code: 'DeletionReceiptMissing' });
      });
      deps.log.warn('no deletion receipt', { consent: n.consentId, org: n.org, days: deps.escalationDays });
      out.escalated++;
    }
    out.retention = retention.sweep(nowMs);
    return out;
  }

  /** A consent as the case worker follows it: versions, recipients, notices and receipts. */
  function status(consentId: string) {
    const versions = (q.versions.all(consentId) as { version: number; hash: string; status: string; controller: string; recordedAt: number; expires: number; local: number }[]).map((v) => ({ ...v, local: v.local === 1 }));
    const latest = versions.at(-1);
    if (!latest) return undefined;
    const recipients = new Map<string, { org: string; node: string; referralIds: string[]; fields: string[]; firstAt: number }>();
    for (const d of store.ledger(consentId)) {
      const r = recipients.get(d.org) ?? { org: d.org, node: d.node, referralIds: [], fields: [], firstAt: d.at };
      if (!r.referralIds.includes(d.referralId)) r.referralIds.push(d.referralId);
      for (const f of d.fields) if (!r.fields.includes(f)) r.fields.push(f);
      recipients.set(d.org, r);
    }
    const notices = (q.notices.all(consentId) as NoticeRow[]).map((n) => ({
      org: n.org,
      node: n.node,
      /** told by an organisation we gave the data to, not by us */
      onward: !recipients.has(n.org),
      messageId: n.messageId,
      sent: n.messageId !== null,
      sentAt: n.sentAt,
      receiptAt: n.receiptAt,
      escalatedAt: n.escalatedAt,
      status: n.receiptAt !== null ? ('received' as const) : n.escalatedAt !== null ? ('escalated' as const) : ('missing' as const),
      receipt: n.receipt === null ? null : (JSON.parse(n.receipt) as DeletionReceipt),
    }));
    notices.sort((x, y) => Number(x.onward) - Number(y.onward));
    return { id: consentId, controller: latest.controller, status: latest.status, version: latest.version, local: latest.local, versions, recipients: [...recipients.values()], notices };
  }

  return {
    withdraw,
    sweep,
    status,
    /** register with the receiver: what a withdrawal and a deletion receipt do here */
    handlers: { [T.withdraw]: onWithdraw, [T.receipt]: onReceipt } as Record<string, Handler>,
  };
}

export type Withdrawal = ReturnType<typeof createWithdrawal>;
