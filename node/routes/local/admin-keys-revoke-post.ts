import type { Hono } from 'hono';
import { KeyId, KeyRevocation, UnixTime } from '../../../protocol/index.js';
import { z } from 'zod';
import type { NodeContext } from '../../context.js';
import { readJson } from '../../http/input.js';

export const RevokeRequest = z.strictObject({
  kid: KeyId,
  /** from when the key may have been in other hands: anything it signed from then on is refused */
  compromisedSince: UnixTime,
  reason: KeyRevocation.shape.reason.optional(),
});

/**
 * `POST /api/v1/admin/keys/revoke {kid, compromisedSince, reason?}`: one of this node's keys
 * revoked by the org key (409 `OrgKeyAbsent` without it) into our directory entry, for the
 * stewards to publish; every node that installs that version refuses the key (ADR 0007, 0017).
 * Revoking the active key also certifies a new one, switched to with the same version.
 * Unknown kid: 404; a compromisedSince in the future or a key already revoked: 400.
 */
export function mountAdminKeysRevokePost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/admin/keys/revoke', async (c) => {
    const input = await readJson(c, RevokeRequest);
    const result = ctx.keyLifecycle.revoke({ kid: input.kid, compromisedSince: input.compromisedSince, reason: input.reason ?? 'compromised' }, ctx.clock.now());
    return c.json({ ...result, nodeKeys: ctx.keys.nodeKeys() });
  });
}
