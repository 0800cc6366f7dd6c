import type { Hono } from 'hono';
import { z } from 'zod';
import type { NodeContext } from '../../context.js';
import { readJson } from '../../http/input.js';

export const CloseCaseInput = z.strictObject({});

/**
 * `POST /api/v1/cases/{id}/close`: the case worker closes a case. Its data is purged
 * CORRIDOR_RETENTION_DAYS after closure (unless a legal hold keeps it); answers the dates.
 */
export function mountCaseClosePost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/cases/:id/close', async (c) => {
    await readJson(c, CloseCaseInput);
    const { cases } = ctx.casework;
    cases.close(c.req.param('id'), ctx.clock.now());
    const closed = cases.require(c.req.param('id'));
    const purgeAfter = closed.closedAt === null ? null : closed.closedAt + ctx.config.retentionDays * 86_400_000;
    return c.json({ id: closed.id, state: closed.state, closedAt: closed.closedAt, purgeAfter });
  });
}
