import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { paging } from '../../http/input.js';
import { principalOf } from '../../http/roles.js';

/**
 * `GET /api/v1/cases`: the cases held here (newest change first), without their data; a case
 * worker sees only the cases assigned to them or their team.
 */
export function mountCasesGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/cases', (c) => {
    const { limit, offset } = paging(c);
    const who = principalOf(c);
    const rows = who.role === 'coordinator' ? ctx.casework.cases.list(limit, offset) : ctx.access.assignments.caseIdsOf(who, limit, offset).flatMap((id) => ctx.casework.cases.get(id) ?? []);
    const cases = rows.map(({ data: _data, ...row }) => row);
    return c.json({ cases, limit, offset });
  });
}
