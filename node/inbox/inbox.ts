import type Database from 'better-sqlite3-multiple-ciphers';
import { isErrorCode } from '../../protocol/index.js';
import { type AuditRecorder, noAudit } from '../audit/log.js';

/**
 * The inbox tables' operations as prepared statements: envelopes as received (once per sender
 * and id, with the receipt that was returned), the messages opened from them, request nonces,
 * and alerts for the operator.
 */
export interface StoredEnvelope {
  seq: number;
  sender: string;
  id: string;
  envelope: Buffer;
  receivedAt: number;
}

export function createInboxStore(sqlite: Database.Database, audit: AuditRecorder = noAudit) {
  const find = sqlite.prepare(`SELECT ctSha256, receipt FROM inbox_item WHERE sender = @sender AND id = @id`);
  const insert = sqlite.prepare(
    `INSERT INTO inbox_item (sender, id, ctSha256, envelope, receivedAt, receipt, state) VALUES (@sender, @id, @ctSha256, @envelope, @receivedAt, @receipt, 'stored')`,
  );
  const stored = sqlite.prepare(`SELECT seq, sender, id, envelope, receivedAt FROM inbox_item WHERE state = 'stored' ORDER BY seq LIMIT @limit`);
  const processed = sqlite.prepare(`UPDATE inbox_item SET state = 'processed', processedAt = @now WHERE seq = @seq AND state = 'stored'`);
  const rejected = sqlite.prepare(`UPDATE inbox_item SET state = 'rejected', rejectCode = @code, processedAt = @now WHERE seq = @seq AND state = 'stored'
    RETURNING sender, id, ctSha256`);
  const insertMessage = sqlite.prepare(
    `INSERT INTO message (sender, id, thid, pthid, typ, created, inner, signature, senderKid, body, receivedAt, ackPending)
     VALUES (@sender, @id, @thid, @pthid, @typ, @created, @inner, @signature, @senderKid, @body, @receivedAt, @ackPending)
     ON CONFLICT (sender, id) DO NOTHING`,
  );
  const pendingAcks = sqlite.prepare(`SELECT sender, id FROM message WHERE ackPending = 1 ORDER BY sender, receivedAt LIMIT @limit`);
  const acked = sqlite.prepare(`UPDATE message SET ackPending = 0 WHERE sender = @sender AND id = @id`);
  const messages = sqlite.prepare(`SELECT sender, id, thid, pthid, typ, created, receivedAt FROM message WHERE receivedAt >= @since ORDER BY receivedAt, id LIMIT @limit`);
  const messageBody = sqlite.prepare(`SELECT body FROM message WHERE sender = @sender AND id = @id`);
  const nonce = sqlite.prepare(`INSERT INTO seen_nonce (key, expiresAt) VALUES (@key, @expiresAt) ON CONFLICT (key) DO NOTHING`);
  const pruneNonces = sqlite.prepare(`DELETE FROM seen_nonce WHERE expiresAt < @now`);
  const alert = sqlite.prepare(`INSERT INTO alert (at, kind, peer, messageId, code) VALUES (@at, @kind, @peer, @messageId, @code)`);
  const alerts = sqlite.prepare(`SELECT seq, at, kind, peer, messageId, code FROM alert ORDER BY seq DESC LIMIT @limit`);
  const counts = sqlite.prepare(`SELECT state, count(*) AS n FROM inbox_item GROUP BY state`);
  let noncesSincePrune = 0;

  return {
    find(sender: string, id: string): { ctSha256: string; receipt: string } | undefined {
      return find.get({ sender, id }) as { ctSha256: string; receipt: string } | undefined;
    },
    insert(row: { sender: string; id: string; ctSha256: string; envelope: Uint8Array; receivedAt: number; receipt: string }): void {
      insert.run({ ...row, envelope: Buffer.from(row.envelope.buffer, row.envelope.byteOffset, row.envelope.byteLength) });
    },
    stored(limit: number): StoredEnvelope[] {
      return stored.all({ limit }) as StoredEnvelope[];
    },
    markProcessed(seq: number, nowMs: number): void {
      processed.run({ seq, now: nowMs });
    },
    markRejected(seq: number, code: string, nowMs: number): void {
      sqlite.transaction(() => {
        const row = rejected.get({ seq, code, now: nowMs }) as { sender: string; id: string; ctSha256: string } | undefined;
        if (row) audit.record({ kind: 'message-rejected', actor: 'self', subject: { messageId: row.id, node: row.sender }, hashes: { ciphertext: row.ctSha256 }, ...(isErrorCode(code) ? { code } : {}) });
      })();
    },
    insertMessage(m: { sender: string; id: string; thid: string; pthid: string | null; typ: string; created: number; inner: Uint8Array; signature: Uint8Array; senderKid: string; body: string; receivedAt: number; ackPending: boolean }): void {
      insertMessage.run({ ...m, inner: Buffer.from(m.inner), signature: Buffer.from(m.signature), ackPending: m.ackPending ? 1 : 0 });
    },
    /** messages opened but not yet acknowledged to their sender, grouped by sender */
    pendingAcks(limit: number): Map<string, string[]> {
      const out = new Map<string, string[]>();
      for (const r of pendingAcks.all({ limit }) as { sender: string; id: string }[]) out.set(r.sender, [...(out.get(r.sender) ?? []), r.id]);
      return out;
    },
    markAcked(sender: string, ids: readonly string[]): void {
      for (const id of ids) acked.run({ sender, id });
    },
    messages(sinceMs: number, limit: number) {
      return messages.all({ since: sinceMs, limit }) as { sender: string; id: string; thid: string; pthid: string | null; typ: string; created: number; receivedAt: number }[];
    },
    messageBody(sender: string, id: string): unknown {
      const row = messageBody.get({ sender, id }) as { body: string } | undefined;
      return row ? (JSON.parse(row.body) as unknown) : undefined;
    },
    /** false if this nonce was already used (a replayed request) */
    rememberNonce(key: string, expiresAtMs: number, nowMs: number): boolean {
      if (++noncesSincePrune >= 1000) {
        noncesSincePrune = 0;
        pruneNonces.run({ now: nowMs });
      }
      return nonce.run({ key, expiresAt: expiresAtMs }).changes === 1;
    },
    alert(a: { at: number; kind: string; peer?: string | null; messageId?: string | null; code?: string | null }): void {
      alert.run({ peer: null, messageId: null, code: null, ...a });
    },
    alerts(limit = 100) {
      return alerts.all({ limit }) as { seq: number; at: number; kind: string; peer: string | null; messageId: string | null; code: string | null }[];
    },
    counts(): Record<string, number> {
      return Object.fromEntries((counts.all() as { state: string; n: number }[]).map((r) => [r.state, r.n]));
    },
  };
}

export type InboxStore = ReturnType<typeof createInboxStore>;
