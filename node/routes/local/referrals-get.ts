import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { paging } from '../../http/input.js';

/** `GET /api/v1/referrals`: referrals both ways, where each stands and who the contact is. */
export function mountReferralsGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/referrals', (c) => {
    const { limit, offset } = paging(c);
    return c.json({ referrals: ctx.casework.referralStore.list(limit, offset), limit, offset });
  });
}
