import type { Hono } from 'hono';
import { ProtocolError } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { paging } from '../../http/input.js';
import { principalOf } from '../../http/roles.js';

/**
 * `GET /api/v1/court-trips`: the court trips held here (newest first); with `?overdue=1` the
 * overdue list across trips instead: tasks not done whose due date has passed, oldest first,
 * each marked `mine` when this organisation owns it, and `dueSoon`, those due from today up to
 * `days` ahead (7 by default). Each trip says its hearing (date and place), mode and how many
 * tasks are open, due soon and overdue. A case worker sees the trips of their cases.
 */
export function mountCourtTripsGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/court-trips', (c) => {
    const overdue = c.req.query('overdue');
    if (overdue !== undefined && overdue !== '0' && overdue !== '1') throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: 'overdue', problem: 'invalid_value' }] });
    const days = c.req.query('days');
    if (days !== undefined && !/^\d{1,3}$/.test(days)) throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: 'days', problem: 'not_a_number' }] });
    const who = principalOf(c);
    const mine = (tripId: string) => ctx.access.assignments.mayWorkOn(who, ctx.access.assignments.caseOf('court-trip', tripId) ?? null);
    if (overdue === '1') {
      const all = ctx.casework.courtTrips.overdue(days === undefined ? 7 : Number(days));
      return c.json({ ...all, overdue: all.overdue.filter((t) => mine(t.tripId)), dueSoon: all.dueSoon.filter((t) => mine(t.tripId)) });
    }
    const { limit, offset } = paging(c);
    return c.json({ trips: ctx.casework.courtTrips.list(limit, offset).filter((t) => mine(t.tripId)), limit, offset });
  });
}
