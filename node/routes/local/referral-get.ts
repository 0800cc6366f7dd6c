import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';

/** `GET /api/v1/referrals/{id}`: one referral, its history (chain of custody) and the contact at the other side. */
export function mountReferralGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/referrals/:id', (c) => {
    const store = ctx.casework.referralStore;
    const r = store.require(c.req.param('id'));
    return c.json({ ...r, events: store.events(r.id) });
  });
}
