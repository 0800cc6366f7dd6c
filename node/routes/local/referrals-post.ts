import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { OfferInput } from '../../case/referrals.js';
import { readJson } from '../../http/input.js';
import { requireCase } from '../../http/roles.js';

/**
 * `POST /api/v1/referrals`: offer a referral to another organisation: only needs, languages,
 * gender, age band, countries, urgency and a non-identifying summary travel. Refused if the
 * consent does not name that organisation and purpose, or the directory is stale.
 */
export function mountReferralsPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/referrals', async (c) => {
    const input = await readJson(c, OfferInput);
    if (ctx.casework.cases.get(input.caseId)) requireCase(c, ctx, input.caseId);
    return c.json(ctx.casework.referrals.offer(input), 201);
  });
}
