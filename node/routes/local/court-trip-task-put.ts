import type { Hono } from 'hono';
import { ProtocolError, Ulid, parseWith } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { TaskPut } from '../../case/court-trips.js';
import { readJson } from '../../http/input.js';

/**
 * `PUT /api/v1/court-trips/{id}/tasks/{taskId}`: add a task (kind, owner, due; the caller picks
 * its ULID) or change one (status, due date, owner, note, e.g. who meets her at the airport).
 */
export function mountCourtTripTaskPut(app: Hono, ctx: NodeContext): void {
  app.put('/api/v1/court-trips/:id/tasks/:taskId', async (c) => {
    const taskId = parseWith(Ulid, c.req.param('taskId'), 'taskId');
    if (!taskId.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: 'taskId', problem: 'invalid_format' }] });
    const input = await readJson(c, TaskPut);
    const { view, created } = ctx.casework.courtTrips.putTask(c.req.param('id'), taskId.value, input);
    return c.json(view, created ? 201 : 200);
  });
}
