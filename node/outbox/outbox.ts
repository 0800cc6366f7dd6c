import type Database from 'better-sqlite3-multiple-ciphers';
import { canonicalBytes, isErrorCode, sha256, toBase64Url } from '../../protocol/index.js';
import { type AuditRecorder, noAudit } from '../audit/log.js';
import type { OutboxState } from '../db/schema/outbox.js';

/**
 * The outbox table's operations, as prepared statements (the hot path). `enqueue` is
 * synchronous and meant to run inside the transaction of the change that caused the message.
 */

export interface OutboxRow {
  id: string;
  to: string;
  thid: string;
  typ: string;
  envelope: Buffer;
  ctSha256: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  expiresAt: number;
  deliveredAt: number | null;
  acknowledgedAt: number | null;
}

export interface NewOutboxItem {
  id: string;
  to: string;
  thid: string;
  typ: string;
  envelope: Uint8Array;
  ctSha256: string;
  createdAt: number;
  expiresAt: number;
}

/** A `sending` row whose process died is due again after this lease. */
export const LEASE_MS = 60_000;
export const OVERDUE_MS = 24 * 3600 * 1000;

export function createOutboxStore(sqlite: Database.Database, audit: AuditRecorder = noAudit) {
  const atomically = <T>(fn: () => T): T => sqlite.transaction(fn)();
  // what the node does on its own is the node's entry, whoever's request woke the worker
  const nodeActor = 'self' as const;
  const receiptHash = (receipt: string) => toBase64Url(sha256(canonicalBytes(JSON.parse(receipt))));
  const insert = sqlite.prepare(
    `INSERT INTO outbox_item (id, "to", thid, typ, envelope, ctSha256, state, attempts, nextAttemptAt, createdAt, expiresAt)
     VALUES (@id, @to, @thid, @typ, @envelope, @ctSha256, 'queued', 0, @createdAt, @createdAt, @expiresAt)`,
  );
  const expire = sqlite.prepare(
    `UPDATE outbox_item SET state = 'expired', lastError = coalesce(lastError, 'Expired'), leaseUntil = NULL
     WHERE state IN ('queued', 'sending') AND expiresAt <= @now AND (state = 'queued' OR leaseUntil < @now)`,
  );
  // due, not leased, and the oldest undelivered message of its thread to that peer (order per thread)
  const claim = sqlite.prepare(
    `UPDATE outbox_item SET state = 'sending', leaseUntil = @lease, attempts = attempts + 1, lastAttemptAt = @now
     WHERE id IN (
       SELECT o.id FROM outbox_item o
       WHERE (o.state = 'queued' OR (o.state = 'sending' AND o.leaseUntil < @now)) AND o.nextAttemptAt <= @now
         AND NOT EXISTS (SELECT 1 FROM outbox_item p WHERE p."to" = o."to" AND p.thid = o.thid AND p.id < o.id AND p.state IN ('queued', 'sending'))
       ORDER BY o.nextAttemptAt, o.id LIMIT @limit)
     RETURNING id, "to", thid, envelope, ctSha256, expiresAt, attempts`,
  );
  // the peer's ack can overtake the answer to our own request: the receipt is stored all the same
  const delivered = sqlite.prepare(
    `UPDATE outbox_item SET state = CASE WHEN state = 'acknowledged' THEN state ELSE 'delivered' END,
       deliveredAt = @now, receipt = @receipt, lastStatus = @status, lastError = NULL, leaseUntil = NULL
     WHERE id = @id AND (state = 'sending' OR (state = 'acknowledged' AND receipt IS NULL))
     RETURNING "to"`,
  );
  const retry = sqlite.prepare(
    `UPDATE outbox_item SET state = 'queued', nextAttemptAt = @next, notBefore = @notBefore, lastStatus = @status, lastError = @code, leaseUntil = NULL
     WHERE id = @id AND state = 'sending'`,
  );
  const failed = sqlite.prepare(
    `UPDATE outbox_item SET state = @state, lastStatus = @status, lastError = @code, leaseUntil = NULL WHERE id = @id AND state = 'sending'
     RETURNING "to"`,
  );
  const acknowledged = sqlite.prepare(
    `UPDATE outbox_item SET state = 'acknowledged', acknowledgedAt = @now
     WHERE id = @id AND "to" = @peer AND state IN ('delivered', 'sending', 'queued')`,
  );
  const wake = sqlite.prepare(
    `UPDATE outbox_item SET nextAttemptAt = max(@now, coalesce(notBefore, 0))
     WHERE "to" = @peer AND state = 'queued' AND nextAttemptAt > max(@now, coalesce(notBefore, 0))`,
  );
  // only the oldest undelivered message of a thread can be sent: the rest wait for it, so they
  // must not count as due (or an idle loop would spin while a thread's head waits to retry)
  const HEAD = `NOT EXISTS (SELECT 1 FROM outbox_item p WHERE p."to" = o."to" AND p.thid = o.thid AND p.id < o.id AND p.state IN ('queued', 'sending'))`;
  const nextDue = sqlite.prepare(
    `SELECT min(at) AS at FROM (
       SELECT o.nextAttemptAt AS at FROM outbox_item o WHERE o.state = 'queued' AND ${HEAD}
       UNION ALL SELECT leaseUntil AS at FROM outbox_item WHERE state = 'sending')`,
  );
  // a read, so an idle round costs no write transaction
  const anyDue = sqlite.prepare(
    `SELECT 1 FROM outbox_item o WHERE ((o.state = 'queued' AND o.nextAttemptAt <= @now) OR (o.state = 'sending' AND o.leaseUntil < @now)) AND ${HEAD} LIMIT 1`,
  );
  const overdueCount = sqlite.prepare(
    `SELECT count(*) AS n FROM outbox_item WHERE (state IN ('queued', 'sending') AND createdAt <= @before) OR state IN ('failed', 'expired')`,
  );
  const listAll = sqlite.prepare(
    `SELECT id, "to", thid, typ, state, attempts, nextAttemptAt, lastAttemptAt, lastStatus, lastError, createdAt, expiresAt, deliveredAt, acknowledgedAt
     FROM outbox_item ORDER BY id DESC LIMIT @limit`,
  );
  const overdue = sqlite.prepare(
    `SELECT id, "to", thid, typ, state, attempts, nextAttemptAt, lastAttemptAt, lastStatus, lastError, createdAt, expiresAt, deliveredAt, acknowledgedAt
     FROM outbox_item WHERE (state IN ('queued', 'sending') AND createdAt <= @before) OR state IN ('failed', 'expired') ORDER BY id`,
  );
  const counts = sqlite.prepare(`SELECT state, count(*) AS n FROM outbox_item GROUP BY state`);
  const release = sqlite.prepare(`UPDATE outbox_item SET state = 'queued', leaseUntil = NULL WHERE state = 'sending'`);
  const receiptOf = sqlite.prepare(`SELECT receipt FROM outbox_item WHERE id = @id`);

  return {
    enqueue(item: NewOutboxItem): void {
      atomically(() => {
        insert.run({ ...item, envelope: Buffer.from(item.envelope.buffer, item.envelope.byteOffset, item.envelope.byteLength) });
        audit.record({ kind: 'message-queued', subject: { messageId: item.id, node: item.to }, hashes: { ciphertext: item.ctSha256 } });
      });
    },
    /**
     * At start-up: a row left `sending` by a process that died is due again at once (one process
     * owns the database; resending is idempotent: same bytes, same receipt).
     */
    releaseAbandoned(): number {
      return release.run().changes;
    },
    expire(nowMs: number): number {
      return expire.run({ now: nowMs }).changes;
    },
    claim(nowMs: number, limit: number): Pick<OutboxRow, 'id' | 'to' | 'thid' | 'envelope' | 'ctSha256' | 'expiresAt' | 'attempts'>[] {
      if (anyDue.get({ now: nowMs }) === undefined) return [];
      const rows = atomically(() => {
        const claimed = claim.all({ now: nowMs, lease: nowMs + LEASE_MS, limit }) as Pick<OutboxRow, 'id' | 'to' | 'thid' | 'envelope' | 'ctSha256' | 'expiresAt' | 'attempts'>[];
        // the first attempt is when the message is sent; retries are not new events
        for (const r of claimed) if (r.attempts === 1) audit.record({ kind: 'message-sent', actor: nodeActor, subject: { messageId: r.id, node: r.to }, hashes: { ciphertext: r.ctSha256 } });
        return claimed;
      });
      return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    },
    markDelivered(id: string, receipt: string, status: number, nowMs: number): void {
      atomically(() => {
        const row = delivered.get({ id, receipt, status, now: nowMs }) as { to: string } | undefined;
        if (row) audit.record({ kind: 'message-delivered', actor: nodeActor, subject: { messageId: id, node: row.to }, hashes: { receipt: receiptHash(receipt) } });
      });
    },
    /** `notBefore`: the peer's Retry-After, which waking the backlog must respect */
    markRetry(id: string, next: number, status: number | null, code: string, notBefore: number | null = null): void {
      retry.run({ id, next, status, code, notBefore });
    },
    markFailed(id: string, state: 'failed' | 'expired', status: number | null, code: string): void {
      atomically(() => {
        const row = failed.get({ id, state, status, code }) as { to: string } | undefined;
        if (row && state === 'failed') audit.record({ kind: 'message-rejected', actor: nodeActor, subject: { messageId: id, node: row.to }, ...(isErrorCode(code) ? { code } : {}) });
      });
    },
    markAcknowledged(ids: readonly string[], peer: string, nowMs: number): number {
      let n = 0;
      atomically(() => {
        for (const id of ids) {
          if (acknowledged.run({ id, peer, now: nowMs }).changes === 0) continue;
          n++;
          audit.record({ kind: 'message-acknowledged', actor: nodeActor, subject: { messageId: id, node: peer } });
        }
      });
      return n;
    },
    wakePeer(peer: string, nowMs: number): number {
      return wake.run({ peer, now: nowMs }).changes;
    },
    nextDueAt(): number | null {
      return (nextDue.get() as { at: number | null }).at;
    },
    list(limit = 100): Omit<OutboxRow, 'envelope' | 'ctSha256'>[] {
      return listAll.all({ limit }) as Omit<OutboxRow, 'envelope' | 'ctSha256'>[];
    },
    /** still undelivered 24 h after it was queued, or failed, or expired: the operator must look */
    overdue(nowMs: number): Omit<OutboxRow, 'envelope' | 'ctSha256'>[] {
      return overdue.all({ before: nowMs - OVERDUE_MS }) as Omit<OutboxRow, 'envelope' | 'ctSha256'>[];
    },
    overdueCount(nowMs: number): number {
      return (overdueCount.get({ before: nowMs - OVERDUE_MS }) as { n: number }).n;
    },
    counts(): Record<string, number> {
      return Object.fromEntries((counts.all() as { state: string; n: number }[]).map((r) => [r.state, r.n]));
    },
    receipt(id: string): string | null {
      return (receiptOf.get({ id }) as { receipt: string | null } | undefined)?.receipt ?? null;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
