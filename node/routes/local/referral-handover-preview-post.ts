import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { HandoverInput } from '../../case/referrals.js';
import { readJson } from '../../http/input.js';

/**
 * `POST /api/v1/referrals/{id}/handover/preview`: what the handover would send for the same input,
 * without sending: the exact body (the case projected through the consent by the same code as the
 * handover) and the case's fields as pointers. Refused exactly as the handover would be.
 */
export function mountReferralHandoverPreviewPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/referrals/:id/handover/preview', async (c) => {
    const input = await readJson(c, HandoverInput);
    return c.json(ctx.casework.referrals.previewHandover(c.req.param('id'), input));
  });
}
