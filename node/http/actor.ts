import type { Context } from 'hono';
import type { AuditActor } from '../../protocol/index.js';
import type { NodeContext } from '../context.js';

/**
 * Who the audit log says made a local API request: the ONE place that decides it. The local API
 * has no accounts yet (one bearer token), so today it is the node itself; with accounts this
 * returns `account:<id>` of the signed-in account, never a login name.
 */
export function localActor(_c: Context, ctx: NodeContext): AuditActor {
  return ctx.config.node;
}
