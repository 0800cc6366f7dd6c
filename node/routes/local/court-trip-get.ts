import type { Hono } from 'hono';
import { ProtocolError } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';

/** `GET /api/v1/court-trips/{id}[?days=N]`: the plan, reminders (not done, due within N days, 7 by default) and overdue tasks. */
export function mountCourtTripGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/court-trips/:id', (c) => {
    const days = c.req.query('days');
    if (days !== undefined && !/^\d{1,3}$/.test(days)) throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: 'days', problem: 'not_a_number' }] });
    return c.json(ctx.casework.courtTrips.view(c.req.param('id'), days === undefined ? 7 : Number(days)));
  });
}
