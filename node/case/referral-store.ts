import type Database from 'better-sqlite3-multiple-ciphers';
import { ProtocolError, isErrorCode } from '../../protocol/index.js';
import { type AuditRecorder, noAudit } from '../audit/log.js';

/**
 * The referral table, its event history (chain of custody), the disclosure ledger and the
 * quarantine: rows with ids, states and codes, never personal data, so they survive a purge.
 */

export type ReferralState = 'offered' | 'accepted' | 'declined' | 'handed-over' | 'closed' | 'revoked';

export interface ReferralRow {
  id: string;
  direction: 'outgoing' | 'incoming';
  caseId: string | null;
  peerNode: string;
  peerOrg: string;
  state: ReferralState;
  purpose: string;
  offer: Record<string, unknown>;
  theirContact: Record<string, unknown> | null;
  ourContact: Record<string, unknown>;
  consentId: string | null;
  chain: string[];
  parentId: string | null;
  reason: string | null;
  outcome: string | null;
  createdAt: number;
  updatedAt: number;
}

type Raw = Omit<ReferralRow, 'offer' | 'theirContact' | 'ourContact' | 'chain'> & { offer: string; theirContact: string | null; ourContact: string; chain: string };

export interface Disclosure {
  consentId: string;
  consentVersion: number;
  consentHash: string;
  caseId: string;
  referralId: string;
  org: string;
  node: string;
  messageId: string;
  purpose: string;
  fields: string[];
  attachments: number;
  at: number;
}

export function createReferralStore(sqlite: Database.Database, audit: AuditRecorder = noAudit) {
  const q = {
    insert: sqlite.prepare(
      `INSERT INTO referral (id, direction, caseId, peerNode, peerOrg, state, purpose, offer, theirContact, ourContact, consentId, chain, parentId, createdAt, updatedAt)
       VALUES (@id, @direction, @caseId, @peerNode, @peerOrg, @state, @purpose, @offer, @theirContact, @ourContact, @consentId, @chain, @parentId, @at, @at)`,
    ),
    get: sqlite.prepare(`SELECT * FROM referral WHERE id = ?`),
    list: sqlite.prepare(`SELECT * FROM referral ORDER BY updatedAt DESC LIMIT ? OFFSET ?`),
    ofCase: sqlite.prepare(`SELECT * FROM referral WHERE caseId = ? ORDER BY createdAt`),
    set: sqlite.prepare(
      `UPDATE referral SET state = coalesce(@state, state), theirContact = coalesce(@theirContact, theirContact), caseId = coalesce(@caseId, caseId), consentId = coalesce(@consentId, consentId),
       reason = coalesce(@reason, reason), outcome = coalesce(@outcome, outcome), updatedAt = @at WHERE id = @id`,
    ),
    event: sqlite.prepare(`INSERT INTO referral_event (referralId, at, kind, org, messageId, detail) VALUES (@referralId, @at, @kind, @org, @messageId, @detail)`),
    events: sqlite.prepare(`SELECT at, kind, org, messageId, detail FROM referral_event WHERE referralId = ? ORDER BY seq`),
    disclose: sqlite.prepare(
      `INSERT INTO disclosure (consentId, consentVersion, consentHash, caseId, referralId, org, node, messageId, purpose, fields, attachments, at)
       VALUES (@consentId, @consentVersion, @consentHash, @caseId, @referralId, @org, @node, @messageId, @purpose, @fields, @attachments, @at)`,
    ),
    ledger: sqlite.prepare(`SELECT * FROM disclosure WHERE consentId = ? ORDER BY seq`),
    ledgerOfCase: sqlite.prepare(`SELECT * FROM disclosure WHERE caseId = ? ORDER BY seq`),
    quarantine: sqlite.prepare(`INSERT INTO quarantine (messageId, sender, typ, code, detail, at) VALUES (@messageId, @sender, @typ, @code, @detail, @at)`),
    quarantined: sqlite.prepare(`SELECT messageId, sender, typ, code, detail, at FROM quarantine ORDER BY seq DESC LIMIT ?`),
  };
  const row = (raw: Raw | undefined): ReferralRow | undefined =>
    raw
      ? {
          ...raw,
          offer: JSON.parse(raw.offer) as Record<string, unknown>,
          theirContact: raw.theirContact ? (JSON.parse(raw.theirContact) as Record<string, unknown>) : null,
          ourContact: JSON.parse(raw.ourContact) as Record<string, unknown>,
          chain: JSON.parse(raw.chain) as string[],
        }
      : undefined;
  const ledgerRow = (r: Omit<Disclosure, 'fields'> & { fields: string }): Disclosure => ({ ...r, fields: JSON.parse(r.fields) as string[] });

  return {
    insert(r: Omit<ReferralRow, 'theirContact' | 'reason' | 'outcome' | 'createdAt' | 'updatedAt'> & { theirContact?: Record<string, unknown> | null }, at: number): void {
      q.insert.run({ ...r, offer: JSON.stringify(r.offer), theirContact: r.theirContact ? JSON.stringify(r.theirContact) : null, ourContact: JSON.stringify(r.ourContact), chain: JSON.stringify(r.chain), at });
    },
    get: (id: string): ReferralRow | undefined => row(q.get.get(id) as Raw | undefined),
    require(id: string): ReferralRow {
      const r = row(q.get.get(id) as Raw | undefined);
      if (!r) throw new ProtocolError('NotFound', 'no such referral');
      return r;
    },
    list: (limit: number, offset: number): ReferralRow[] => (q.list.all(limit, offset) as Raw[]).map((r) => row(r) as ReferralRow),
    ofCase: (caseId: string): ReferralRow[] => (q.ofCase.all(caseId) as Raw[]).map((r) => row(r) as ReferralRow),
    set(id: string, change: { state?: ReferralState; theirContact?: Record<string, unknown>; caseId?: string; consentId?: string; reason?: string; outcome?: string }, at: number): void {
      q.set.run({ id, at, state: change.state ?? null, theirContact: change.theirContact ? JSON.stringify(change.theirContact) : null, caseId: change.caseId ?? null, consentId: change.consentId ?? null, reason: change.reason ?? null, outcome: change.outcome ?? null });
    },
    event(e: { referralId: string; at: number; kind: string; org: string; messageId?: string | null; detail?: string | null }): void {
      q.event.run({ messageId: null, detail: null, ...e });
    },
    events: (id: string) => q.events.all(id) as { at: number; kind: string; org: string; messageId: string | null; detail: string | null }[],
    disclose(d: Disclosure): void {
      q.disclose.run({ ...d, fields: JSON.stringify(d.fields) });
    },
    ledger: (consentId: string): Disclosure[] => (q.ledger.all(consentId) as (Omit<Disclosure, 'fields'> & { fields: string })[]).map(ledgerRow),
    ledgerOfCase: (caseId: string): Disclosure[] => (q.ledgerOfCase.all(caseId) as (Omit<Disclosure, 'fields'> & { fields: string })[]).map(ledgerRow),
    quarantine(e: { messageId: string; sender: string; typ: string; code: string; detail: string | null; at: number }): void {
      sqlite.transaction(() => {
        q.quarantine.run(e);
        audit.record({ kind: 'message-quarantined', actor: 'self', subject: { messageId: e.messageId, node: e.sender }, ...(isErrorCode(e.code) ? { code: e.code } : {}) });
      })();
    },
    quarantined: (limit = 100) => q.quarantined.all(limit) as { messageId: string; sender: string; typ: string; code: string; detail: string | null; at: number }[],
  };
}

export type ReferralStore = ReturnType<typeof createReferralStore>;
