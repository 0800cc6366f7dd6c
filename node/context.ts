import type { EventEmitter } from 'node:events';
import type { Clock } from '../protocol/index.js';
import type { Access } from './accounts/access.js';
import type { NodeConfig } from './config.js';
import type { DbHandle } from './db/client.js';
import type { AuditLog } from './audit/log.js';
import type { Casework } from './case/casework.js';
import type { Directory } from './directory/directory.js';
import type { InboxStore } from './inbox/inbox.js';
import type { InboxProcessor } from './inbox/processor.js';
import type { Logger } from './logger.js';
import type { OutboxStore } from './outbox/outbox.js';
import type { OutboxWorker } from './outbox/worker.js';
import type { OwnKeys } from './services/keys.js';
import type { KeyLifecycle } from './services/key-lifecycle.js';
import type { MessageService } from './services/messages.js';
import type { Peers } from './services/peers.js';

/** Everything a route or service may use, built once by createNode(). */
export interface NodeContext {
  readonly config: NodeConfig;
  /** `delivered` ({id, to}) when a receipt verified: for the CLI's live view and the benchmark */
  readonly events: EventEmitter;
  readonly clock: Clock;
  readonly fetch: typeof fetch;
  readonly log: Logger;
  readonly handle: DbHandle;
  readonly keys: OwnKeys;
  readonly peers: Peers;
  readonly outbox: OutboxStore;
  readonly worker: OutboxWorker;
  readonly inbox: InboxStore;
  readonly processor: InboxProcessor;
  readonly messages: MessageService;
  readonly directory: Directory;
  readonly casework: Casework;
  /** node-key rotation and revocation (ADR 0017) */
  readonly keyLifecycle: KeyLifecycle;
  /** the tamper-evident audit log: `record` inside the event's own transaction (node/audit/log.ts) */
  readonly audit: AuditLog;
  /** accounts, sessions, case assignments, access events (ADR 0018) */
  readonly access: Access;
  /** the base URL peers reach this node at */
  publicUrl(): string;
  /** an authenticated request came from this peer: it is reachable, let its backlog go */
  peerReachable(node: string): void;
}
