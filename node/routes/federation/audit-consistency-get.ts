import type { Hono } from 'hono';
import { AUDIT_CONSISTENCY_PATH, ProtocolError, encodeProof } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { body } from '../../http/errors.js';
import { peerReadAuth } from '../../http/peer-auth.js';

const SIZE = /^(0|[1-9][0-9]{0,15})$/;

/**
 * `GET /federation/v1/audit/consistency?from=&to=`: the RFC 6962 proof that our log of size
 * `from` is a prefix of our log of size `to`, for a member that holds one of our checkpoints
 * (signed request, like the directory mirror). Hashes only: nothing about an entry leaves.
 * 400 naming the parameter for a bad size; 404 for a size the log has not reached.
 */
export function mountAuditConsistencyGet(app: Hono, ctx: NodeContext): void {
  app.get(AUDIT_CONSISTENCY_PATH, peerReadAuth(ctx), (c) => {
    const fromText = c.req.query('from') ?? '';
    const toText = c.req.query('to') ?? '';
    const issues = [...(SIZE.test(fromText) ? [] : [{ path: 'from', problem: 'not_a_size' }]), ...(SIZE.test(toText) ? [] : [{ path: 'to', problem: 'not_a_size' }])];
    if (issues.length > 0) throw new ProtocolError('InvalidRequest', 'from and to are log sizes', { issues });
    const from = Number(fromText);
    const to = Number(toText);
    if (from > to) throw new ProtocolError('InvalidRequest', 'from is at most to', { issues: [{ path: 'from', problem: 'greater_than_to' }] });
    if (to > ctx.audit.size()) return c.json(body('NotFound'), 404);
    const proof = ctx.audit.consistency(from, to);
    if (!proof) return c.json(body('NotFound'), 404);
    return c.json({ from, to, proof: encodeProof(proof) });
  });
}
