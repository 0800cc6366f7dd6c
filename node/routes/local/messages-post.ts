import type { Hono } from 'hono';
import { z } from 'zod';
import { ConsentCommitment, MessageTypeString, NodeId, ProtocolError, Ulid, parseWith } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';

const SendRequest = z.strictObject({
  to: NodeId,
  typ: MessageTypeString,
  body: z.record(z.string(), z.unknown()),
  thid: Ulid.optional(),
  pthid: Ulid.optional(),
  consent: ConsentCommitment.optional(),
  lifetime: z.number().int().min(60).max(90 * 24 * 3600).optional(),
});

/** `POST /api/v1/messages`: seal a message for a peer and queue it in the outbox. */
export function mountMessagesPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/messages', async (c) => {
    const input = parseWith(SendRequest, await c.req.json().catch(() => undefined));
    if (!input.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: input.issues ?? [] });
    const id = ctx.messages.send(input.value);
    return c.json({ id }, 202);
  });
}
