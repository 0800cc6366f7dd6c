import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/**
 * `GET /api/v1/status`: outbox and inbox counts, undelivered messages, alerts, peers; for the
 * operator's `corridor status` also the withdrawal notices still without a deletion receipt
 * (`missingReceipts`, of which `escalated` are past CORRIDOR_RECEIPT_ESCALATION_DAYS) and the
 * validity of the node key and the current prekey.
 */
export function mountStatusGet(app: Hono, ctx: NodeContext): void {
  const receipts = ctx.handle.sqlite.prepare(
    `SELECT count(*) AS missing, count(escalatedAt) AS escalated FROM withdrawal_notice WHERE receiptAt IS NULL`,
  );
  app.get('/api/v1/status', (c) => {
    const now = ctx.clock.now();
    const { missing, escalated } = receipts.get() as { missing: number; escalated: number };
    const prekey = ctx.keys.currentPrekey();
    return c.json({
      node: ctx.config.node,
      outbox: ctx.outbox.counts(),
      undelivered: ctx.outbox.overdueCount(now),
      inbox: ctx.inbox.counts(),
      alerts: ctx.inbox.alerts(20),
      peers: ctx.peers.list(),
      missingReceipts: missing,
      escalated,
      keys: {
        node: { kid: ctx.keys.trusted.kid, notAfter: ctx.keys.trusted.notAfter },
        prekey: { kid: prekey.kid, notAfter: prekey.notAfter },
      },
    });
  });
}
