import type { Hono } from 'hono';
import { z } from 'zod';
import { NodeDescriptor, ProtocolError, PublicKeyB64, fromBase64Url, parseWith } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';

export const AdmitRequest = z.strictObject({ descriptor: NodeDescriptor, orgPublicKey: PublicKeyB64 });

/**
 * `PUT /api/v1/peers`: admit a peer from its descriptor and its org public key (compared by
 * fingerprint with the partner, out of band). The signed directory replaces this (issue 4).
 */
export function mountPeersPut(app: Hono, ctx: NodeContext): void {
  app.put('/api/v1/peers', async (c) => {
    const input = parseWith(AdmitRequest, await c.req.json().catch(() => undefined));
    if (!input.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: input.issues ?? [] });
    const orgPublicKey = fromBase64Url(input.value.orgPublicKey);
    if (!orgPublicKey) throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: 'orgPublicKey', problem: 'invalid_format' }] });
    ctx.peers.admit(input.value.descriptor, orgPublicKey, ctx.clock.now());
    ctx.processor.flushAcks(); // acks that waited for a usable prekey of this peer
    return c.json({ node: input.value.descriptor.node }, 200);
  });
}
