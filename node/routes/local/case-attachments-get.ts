import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/**
 * `GET /api/v1/cases/{id}/attachments`: the attachments of a case (uploaded here or received),
 * with their state (stored, pending: not fetched from the sender yet, refused: and why). Never a key.
 */
export function mountCaseAttachmentsGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/cases/:id/attachments', (c) => {
    const found = ctx.casework.cases.require(c.req.param('id'));
    return c.json({ attachments: ctx.casework.attachments.list(found.id) });
  });
}
