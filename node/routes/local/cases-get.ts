import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { paging } from '../../http/input.js';

/** `GET /api/v1/cases`: the cases held here (newest change first), without their data. */
export function mountCasesGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/cases', (c) => {
    const { limit, offset } = paging(c);
    const cases = ctx.casework.cases.list(limit, offset).map(({ data: _data, ...row }) => row);
    return c.json({ cases, limit, offset });
  });
}
