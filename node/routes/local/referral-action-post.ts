import type { Hono } from 'hono';
import type { z } from 'zod';
import { ProtocolError } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { AcceptInput, CloseInput, DeclineInput, HandoverInput, OnwardInput, RevokeInput, UpdateInput } from '../../case/referrals.js';
import { readJson } from '../../http/input.js';

type Referrals = NodeContext['casework']['referrals'];
export const ACTIONS: Record<string, { input: z.ZodType; run: (r: Referrals, id: string, input: never) => unknown }> = {
  accept: { input: AcceptInput, run: (r, id, input) => r.accept(id, input) },
  decline: { input: DeclineInput, run: (r, id, input) => r.decline(id, input) },
  handover: { input: HandoverInput, run: (r, id, input) => r.handover(id, input) },
  update: { input: UpdateInput, run: (r, id, input) => r.update(id, input) },
  onward: { input: OnwardInput, run: (r, id, input) => r.onward(id, input) },
  revoke: { input: RevokeInput, run: (r, id, input) => r.revoke(id, input) },
  close: { input: CloseInput, run: (r, id, input) => r.close(id, input) },
};

/**
 * `POST /api/v1/referrals/{id}/{accept|decline|handover|update|onward|revoke|close}`: one step of
 * the referral. The receiving side accepts or declines; the referring side hands over (the case
 * projected through the consent), revokes; either side updates and closes; a received case goes
 * onward only where the consent allows.
 */
export function mountReferralActionPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/referrals/:id/:action', async (c) => {
    const action = ACTIONS[c.req.param('action')];
    if (!action) throw new ProtocolError('NotFound', 'no such action on a referral');
    const input = (await readJson(c, action.input)) as never;
    const result = action.run(ctx.casework.referrals, c.req.param('id'), input);
    return c.json(result, c.req.param('action') === 'onward' ? 201 : 200);
  });
}
