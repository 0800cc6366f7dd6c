import type Database from 'better-sqlite3';
import { type Clock, ProtocolError, type SigningKey, type TrustedNodeKey } from '../../protocol/index.js';
import type { Directory } from '../directory/directory.js';
import type { Logger } from '../logger.js';
import type { MessageService } from '../services/messages.js';
import type { Peers } from '../services/peers.js';
import { createCases } from './cases.js';
import { createConsents } from './consents.js';
import { type Handler, createReceiver } from './receive.js';
import { createReferralStore } from './referral-store.js';
import { createReferrals } from './referrals.js';

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
}

export function createCasework(deps: CaseworkDeps) {
  const cases = createCases(deps.sqlite);
  const consents = createConsents(deps.sqlite, { node: deps.self.node, org: deps.self.org, nodeKey: deps.nodeKey });
  const store = createReferralStore(deps.sqlite);
  const transaction = (fn: () => void) => deps.sqlite.transaction(fn).immediate();
  const referrals = createReferrals({
    self: deps.self,
    clock: deps.clock,
    cases,
    consents,
    store,
    messages: deps.messages,
    transaction,
    nodeOf: (org) => {
      const node = deps.peers.nodeOf(org);
      if (!node) throw new ProtocolError('NotFound', 'no node of this organisation is known', { issues: [{ path: 'to', problem: 'unknown_organisation' }] });
      return node;
    },
    mayStartReferral: () => {
      if (!deps.directory.store.anchor) return;
      const allowed = deps.directory.canStartReferral(deps.clock.now());
      if (!allowed.ok) throw new ProtocolError('DirectoryExpired', allowed.staleSince === null ? 'no new referral: no directory is held yet' : `no new referral: the directory is stale since ${new Date(allowed.staleSince * 1000).toISOString()}`);
    },
  });
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
      savepoint: (fn) => deps.sqlite.transaction(fn)(),
    },
    deps.handlers ?? {},
  );
  return { cases, consents, referralStore: store, referrals, receiver };
}

export type Casework = ReturnType<typeof createCasework>;
