import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { OfferInput } from '../../case/referrals.js';
import { readJson } from '../../http/input.js';
import { requireCase } from '../../http/roles.js';

/**
 * `POST /api/v1/referrals/preview`: what `POST /api/v1/referrals` would send for the same input,
 * without sending or storing anything: the offer's exact body (built by the same code as the
 * offer) and its fields as pointers. Refused exactly as the offer would be.
 */
export function mountReferralsPreviewPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/referrals/preview', async (c) => {
    const input = await readJson(c, OfferInput);
    if (ctx.casework.cases.get(input.caseId)) requireCase(c, ctx, input.caseId);
    return c.json(ctx.casework.referrals.previewOffer(input));
  });
}
