import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/**
 * `GET /api/v1/outbox`: what this node is sending and where each message stands;
 * `?undelivered=1` lists only what the operator must look at (undelivered after 24 h, failed, expired).
 */
export function mountOutboxGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/outbox', (c) => {
    const now = ctx.clock.now();
    const items = c.req.query('undelivered') ? ctx.outbox.overdue(now) : ctx.outbox.list(Math.max(1, Math.min(Number(c.req.query('limit') ?? 100) || 100, 10_000)));
    return c.json({ counts: ctx.outbox.counts(), items });
  });
}
