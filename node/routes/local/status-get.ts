import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/** `GET /api/v1/status`: outbox and inbox counts, undelivered messages, alerts, peers. */
export function mountStatusGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/status', (c) => {
    const now = ctx.clock.now();
    return c.json({
      node: ctx.config.node,
      outbox: ctx.outbox.counts(),
      undelivered: ctx.outbox.overdueCount(now),
      inbox: ctx.inbox.counts(),
      alerts: ctx.inbox.alerts(20),
      peers: ctx.peers.list(),
    });
  });
}
