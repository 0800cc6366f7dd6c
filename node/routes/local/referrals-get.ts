import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { paging } from '../../http/input.js';
import { principalOf } from '../../http/roles.js';

/**
 * `GET /api/v1/referrals`: referrals both ways, where each stands and who the contact is; a case
 * worker sees those of their cases only (a page may then hold fewer than `limit`).
 */
export function mountReferralsGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/referrals', (c) => {
    const { limit, offset } = paging(c);
    const who = principalOf(c);
    const referrals = ctx.casework.referralStore.list(limit, offset).filter((r) => ctx.access.assignments.mayWorkOn(who, r.caseId));
    return c.json({ referrals, limit, offset });
  });
}
