import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { CaseData } from '../../case/cases.js';
import { readJson } from '../../http/input.js';

/** `PATCH /api/v1/cases/{id}`: change a case (blocks replace; the person's fields merge one by one). */
export function mountCasePatch(app: Hono, ctx: NodeContext): void {
  app.patch('/api/v1/cases/:id', async (c) => {
    const change = await readJson(c, CaseData);
    const data = ctx.casework.cases.update(c.req.param('id'), change, ctx.clock.now());
    return c.json({ id: c.req.param('id'), data });
  });
}
