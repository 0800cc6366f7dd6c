import type { Hono } from 'hono';
import { ProtocolError } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { AssignmentInput } from '../../accounts/assignments.js';
import { readJson } from '../../http/input.js';
import { principalOf } from '../../http/roles.js';

/**
 * `PUT /api/v1/cases/{id}/assignment {accountId?, team?}`: a coordinator gives the case to a case
 * worker and/or a team (null takes it away). The account must exist, be enabled and do case work.
 */
export function mountCaseAssignmentPut(app: Hono, ctx: NodeContext): void {
  app.put('/api/v1/cases/:id/assignment', async (c) => {
    const caseId = c.req.param('id');
    const input = await readJson(c, AssignmentInput);
    const before = ctx.access.assignments.get(caseId);
    const accountId = input.accountId === undefined ? (before?.accountId ?? null) : input.accountId;
    const team = input.team === undefined ? (before?.team ?? null) : input.team;
    if (accountId !== null) {
      const account = ctx.access.accounts.get(accountId);
      if (!account || account.disabled || account.role === 'operator') throw new ProtocolError('InvalidRequest', 'no such case worker', { issues: [{ path: 'accountId', problem: 'not_a_case_worker' }] });
    }
    const who = principalOf(c);
    const assignment = ctx.access.assignments.set(caseId, { accountId, team }, who.id, ctx.clock.now());
    if (accountId !== null && accountId !== before?.accountId) ctx.access.events.accountChanged(who.id, accountId, 'assigned', caseId);
    return c.json(assignment);
  });
}
