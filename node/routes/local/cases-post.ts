import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { CaseData } from '../../case/cases.js';
import { readJson } from '../../http/input.js';

/** `POST /api/v1/cases`: open a case (the person, status, needs, risk, notes …); answers its id. */
export function mountCasesPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/cases', async (c) => {
    const data = await readJson(c, CaseData);
    const opened = ctx.casework.cases.open(data, ctx.clock.now());
    return c.json(opened, 201);
  });
}
