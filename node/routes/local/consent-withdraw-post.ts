import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { WithdrawInput } from '../../case/withdrawal.js';
import { readJson } from '../../http/input.js';

/**
 * `POST /api/v1/consents/{id}/withdraw`: at the organisation that recorded it, the person (or the
 * guardian, or the legal representative) withdraws the consent. A new signed version says so and
 * goes, with a withdraw notice, to every organisation of the disclosure ledger. Answers the
 * consent as `GET /api/v1/consents/{id}` shows it.
 */
export function mountConsentWithdrawPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/consents/:id/withdraw', async (c) => {
    const input = await readJson(c, WithdrawInput);
    return c.json(ctx.casework.withdrawal.withdraw(c.req.param('id'), input));
  });
}
