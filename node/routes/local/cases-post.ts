import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { CaseData } from '../../case/cases.js';
import { readJson } from '../../http/input.js';
import { principalOf } from '../../http/roles.js';

/**
 * `POST /api/v1/cases`: open a case (the person, status, needs, risk, notes …); answers its id.
 * The case is assigned to whoever opened it and their team.
 */
export function mountCasesPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/cases', async (c) => {
    const data = await readJson(c, CaseData);
    const who = principalOf(c);
    const now = ctx.clock.now();
    const opened = ctx.handle.sqlite.transaction(() => {
      const made = ctx.casework.cases.open(data, now);
      ctx.access.assignments.set(made.id, { accountId: who.id, team: who.team }, who.id, now);
      return made;
    })();
    return c.json(opened, 201);
  });
}
