import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { CourtTripPatch } from '../../case/court-trips.js';
import { readJson } from '../../http/input.js';

/** `PATCH /api/v1/court-trips/{id}`: change the hearing (its fields merge) or the mode; the whole plan goes to the other side. */
export function mountCourtTripPatch(app: Hono, ctx: NodeContext): void {
  app.patch('/api/v1/court-trips/:id', async (c) => {
    const input = await readJson(c, CourtTripPatch);
    return c.json(ctx.casework.courtTrips.patch(c.req.param('id'), input));
  });
}
