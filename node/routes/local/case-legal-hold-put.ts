import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { LegalHoldInput } from '../../case/retention.js';
import { readJson } from '../../http/input.js';

/**
 * `PUT /api/v1/cases/{id}/legal-hold`: a case worker states a court order or legal obligation
 * that keeps the case's data despite a withdrawal, an expiry or the retention period. A deletion
 * receipt then says so (`legalHold`), never hiding it. Setting it again replaces it.
 */
export function mountCaseLegalHoldPut(app: Hono, ctx: NodeContext): void {
  app.put('/api/v1/cases/:id/legal-hold', async (c) => {
    const input = await readJson(c, LegalHoldInput);
    const hold = ctx.casework.retention.holds.set(c.req.param('id'), input, ctx.clock.now());
    return c.json(hold);
  });
}
