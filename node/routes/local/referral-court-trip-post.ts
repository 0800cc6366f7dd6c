import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { CourtTripInput } from '../../case/court-trips.js';
import { readJson } from '../../http/input.js';

/**
 * `POST /api/v1/referrals/{id}/court-trip`: plan a court return trip on a handed-over referral
 * (either side): hearing, mode, first tasks. Sent to the other side under the referral's consent,
 * which must cover legal proceedings (and return travel for a trip in person).
 */
export function mountReferralCourtTripPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/referrals/:id/court-trip', async (c) => {
    const input = await readJson(c, CourtTripInput);
    return c.json(ctx.casework.courtTrips.create(c.req.param('id'), input), 201);
  });
}
