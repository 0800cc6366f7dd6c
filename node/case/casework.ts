import type Database from 'better-sqlite3-multiple-ciphers';
import { type Clock, ProtocolError, type SigningKey, type TrustedNodeKey } from '../../protocol/index.js';
import type { AuditRecorder } from '../audit/log.js';
import type { Directory } from '../directory/directory.js';
import type { Logger } from '../logger.js';
import type { MessageService } from '../services/messages.js';
import type { Peers } from '../services/peers.js';
import { createAttachmentFetcher } from './attachment-fetch.js';
import { createAttachments } from './attachments.js';
import { createCaseKeys } from './case-keys.js';
import { createCases } from './cases.js';
import { createConsents } from './consents.js';
import { createCourtTrips } from './court-trips.js';
import { type Handler, createReceiver } from './receive.js';
import { createReferralStore } from './referral-store.js';
import { createReferrals } from './referrals.js';
import { createRetention } from './retention.js';
import { createStats } from './stats.js';
import { createThreadMessages } from './thread-messages.js';
import { createWithdrawal } from './withdrawal.js';

/**
 * Case work as the rest of the node sees it: cases, consents, referrals (both sides), the
 * disclosure ledger, and what received messages do. Built once by createNode().
 */
export interface CaseworkDeps {
  sqlite: Database.Database;
  self: { node: string; org: string };
  clock: Clock;
  log: Logger;
  messages: MessageService;
  peers: Peers;
  directory: Directory;
  nodeKey: () => SigningKey;
  peerKey: (node: string, kid: string) => TrustedNodeKey | undefined;
  /** handlers other parts add (withdrawal, court trips), by message type */
  handlers?: Record<string, Handler>;
  /** the operator's alerts (a deletion receipt that does not come) */
  alert?: (a: { at: number; kind: string; peer?: string | null; messageId?: string | null; code?: string | null }) => void;
  /** the audit log (node/audit/log.ts) */
  audit?: AuditRecorder;
  /** CORRIDOR_RETENTION_DAYS and CORRIDOR_RECEIPT_ESCALATION_DAYS */
  retentionDays?: number;
  receiptEscalationDays?: number;
  /** attachments: files under `<dataDir>/attachments`, fetched from peers with `fetch` */
  /** `ownKey(kid)`: one of this node's own node keys, retired ones too (what it signed before a rotation stays readable) */
  files: { dataDir: string; fetch: typeof fetch; ownKey: (kid: string) => TrustedNodeKey | undefined; timeoutMs?: number };
  /** the key ring's case-key wrapping key (ADR 0014 step C): wraps each case's own key */
  caseKeyWrappingKey: Uint8Array;
}

export function createCasework(deps: CaseworkDeps) {
  const caseKeys = createCaseKeys(deps.sqlite, deps.caseKeyWrappingKey, () => deps.clock.now());
  const cases = createCases(deps.sqlite, caseKeys);
  const consents = createConsents(deps.sqlite, { node: deps.self.node, org: deps.self.org, nodeKey: deps.nodeKey }, deps.audit);
  const store = createReferralStore(deps.sqlite, deps.audit);
  const transaction = (fn: () => void) => deps.sqlite.transaction(fn).immediate();
  // the manifest's signer: this node, or a peer's node key from the directory
  const keyOf = (node: string, kid: string) => (node === deps.self.node ? deps.files.ownKey(kid) : deps.peerKey(node, kid));
  const attachments = createAttachments({
    sqlite: deps.sqlite,
    dataDir: deps.files.dataDir,
    clock: deps.clock,
    self: deps.self,
    nodeKey: deps.nodeKey,
    keyOf,
    onPending: () => setImmediate(() => void fetcher.fetchPending()),
    caseKeys,
  });
  const fetcher = createAttachmentFetcher({
    attachments,
    clock: deps.clock,
    log: deps.log.child('attachments'),
    fetch: deps.files.fetch,
    self: deps.self,
    nodeKey: deps.nodeKey,
    peerUrl: (node) => deps.peers.url(node),
    keyOf,
    timeoutMs: deps.files.timeoutMs ?? 15 * 60_000,
    onOutcome: (row, outcome) => {
      if (row.referralId && store.get(row.referralId)) {
        store.event({ referralId: row.referralId, at: deps.clock.now(), kind: outcome.stored ? 'attachment-received' : 'attachment-refused', org: deps.self.org, detail: outcome.stored ? row.id : `${row.id} ${outcome.code}` });
      }
    },
  });
  const referrals = createReferrals({
    self: deps.self,
    clock: deps.clock,
    cases,
    consents,
    store,
    messages: deps.messages,
    transaction,
    attachments,
    nodeOf: (org) => {
      const node = deps.peers.nodeOf(org);
      if (!node) throw new ProtocolError('NotFound', 'no node of this organisation is known', { issues: [{ path: 'to', problem: 'unknown_organisation' }] });
      return node;
    },
    mayStartReferral: () => deps.directory.assertMayStartReferral(deps.clock.now()),
  });
  const courtTrips = createCourtTrips({ sqlite: deps.sqlite, self: deps.self, clock: deps.clock, consents, store, messages: deps.messages, log: deps.log, transaction });
  const retention = createRetention({ sqlite: deps.sqlite, cases, log: deps.log, retentionDays: deps.retentionDays ?? 730, deleteAttachments: (caseId) => attachments.purgeAttachments(caseId) });
  const withdrawal = createWithdrawal({
    sqlite: deps.sqlite,
    self: deps.self,
    clock: deps.clock,
    log: deps.log,
    consents,
    store,
    messages: deps.messages,
    retention,
    orgOf: (node) => deps.peers.orgOf(node),
    nodeOf: (org) => deps.peers.nodeOf(org),
    alert: deps.alert ?? ((a) => deps.log.warn('alert', { kind: a.kind, peer: a.peer ?? null, code: a.code ?? null })),
    escalationDays: deps.receiptEscalationDays ?? 7,
    ...(deps.audit ? { audit: deps.audit } : {}),
  });
  const stats = createStats({ sqlite: deps.sqlite, self: deps.self, countryOf: (org) => deps.directory.store.orgEntry(org)?.entry.profile.corridor.country });
  const receiver = createReceiver(
    {
      self: deps.self,
      cases,
      consents,
      store,
      messages: deps.messages,
      log: deps.log,
      orgOf: (node) => deps.peers.orgOf(node),
      nodeKey: deps.peerKey,
      attachments,
      savepoint: (fn) => deps.sqlite.transaction(fn)(),
    },
    { ...courtTrips.handlers, ...withdrawal.handlers, ...deps.handlers },
  );
  // a received message of a case's thread is sealed with the case's key once applied (ADR 0014 step C)
  const threadMessages = createThreadMessages(deps.sqlite, caseKeys);
  const applyAndSeal = {
    apply(m: Parameters<typeof receiver.apply>[0], nowMs: number): void {
      receiver.apply(m, nowMs);
      try {
        threadMessages.seal(m);
      } catch (error) {
        // the message stays readable under the database key alone; it is never lost
        deps.log.error('sealing a received message failed', { id: m.id, error: error instanceof Error ? error.name : 'unknown' });
      }
    },
  };
  return { caseKeys, threadMessages, cases, consents, referralStore: store, referrals, courtTrips, receiver: applyAndSeal, attachments: { ...attachments, fetchPending: fetcher.fetchPending }, retention, withdrawal, stats, sweep: (nowMs: number) => withdrawal.sweep(nowMs) };
}

export type Casework = ReturnType<typeof createCasework>;
