import type { Hono } from 'hono';
import { z } from 'zod';
import { NodeId, ProtocolError, parseWith } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';

export const SyncRequest = z.strictObject({ peer: NodeId.optional() });

/**
 * `POST /api/v1/directory/sync`: refresh the directory now, from `peer` first if given, then
 * from any other peer. Answers what happened: updated, current, unreachable or refused (with the
 * code), and how many bytes moved.
 */
export function mountDirectorySyncPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/directory/sync', async (c) => {
    const text = await c.req.text();
    const input = parseWith(SyncRequest, text.trim() === '' ? {} : safeJson(text));
    if (!input.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: input.issues ?? [] });
    const result = await ctx.directory.sync.sync(input.value.peer);
    return c.json(result);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
