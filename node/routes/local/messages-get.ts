import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/** `GET /api/v1/messages?since=<ms>`: the messages received and opened, oldest first (ids, no content). */
export function mountMessagesGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/messages', (c) => {
    const since = Number(c.req.query('since') ?? 0);
    const limit = Math.max(1, Math.min(Number(c.req.query('limit') ?? 1000) || 1000, 100_000));
    return c.json({ messages: ctx.inbox.messages(Number.isFinite(since) ? since : 0, Number.isFinite(limit) && limit > 0 ? limit : 1000) });
  });
}
