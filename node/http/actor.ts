import type { Context } from 'hono';
import type { AuditActor } from '../../protocol/index.js';
import type { NodeContext } from '../context.js';

/**
 * Who the audit log says made a local API request: the ONE place that decides it. A signed-in
 * person is `account:<id>` (an opaque id, never a login name); the operator's machine credential
 * (ADR 0018) and the login itself, before anyone is known, are the node.
 */
export function localActor(c: Context, ctx: NodeContext): AuditActor {
  const who = c.get('principal');
  return who?.kind === 'account' && who.id ? `account:${who.id}` : ctx.config.node;
}
