import type { Hono } from 'hono';
import { ProtocolError } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';

/**
 * `GET /api/v1/consents/{id}`: every version of a consent (hashes and statuses), the
 * organisations that received data under it (from the disclosure ledger), and each withdrawal
 * notice with its receipt status: `received`, `missing` or `escalated`.
 */
export function mountConsentGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/consents/:id', (c) => {
    const found = ctx.casework.withdrawal.status(c.req.param('id'));
    if (!found) throw new ProtocolError('NotFound', 'no such consent');
    return c.json(found);
  });
}
