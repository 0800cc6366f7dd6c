import type { Hono } from 'hono';
import { z } from 'zod';
import { ConsentCommitment, MessageTypeString, NodeId, ProtocolError, Ulid, messageType, parseWith } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';

export const SendRequest = z.strictObject({
  to: NodeId,
  typ: MessageTypeString,
  body: z.record(z.string(), z.unknown()),
  thid: Ulid.optional(),
  pthid: Ulid.optional(),
  consent: ConsentCommitment.optional(),
  lifetime: z.number().int().min(60).max(90 * 24 * 3600).optional(),
});

const OFFER = messageType('referral', 'offer');

/**
 * `POST /api/v1/messages`: seal a message for a peer and queue it in the outbox. A new referral
 * (an offer) needs a fresh directory when this node belongs to a directory network: past the
 * version's expiry it is refused (the freeze); everything else goes on.
 */
export function mountMessagesPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/messages', async (c) => {
    const input = parseWith(SendRequest, await c.req.json().catch(() => undefined));
    if (!input.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: input.issues ?? [] });
    if (input.value.typ === OFFER) ctx.directory.assertMayStartReferral(ctx.clock.now());
    const id = ctx.messages.send(input.value);
    return c.json({ id }, 202);
  });
}
