import type { Hono } from 'hono';
import { LIMITS, type NodeDescriptor, PROTOCOL_VERSION, toBase64Url } from '../../protocol/index.js';
import type { NodeContext } from '../context.js';

/** `GET /.well-known/corridor`: the node descriptor (inbox URL, certified node key, prekeys). */
export function mountWellKnown(app: Hono, ctx: NodeContext): void {
  app.get('/.well-known/corridor', (c) => {
    const now = Math.floor(ctx.clock.now() / 1000);
    const descriptor: NodeDescriptor = {
      v: PROTOCOL_VERSION,
      node: ctx.config.node,
      org: ctx.config.org,
      url: ctx.publicUrl(),
      protocols: [PROTOCOL_VERSION],
      maxBytes: Math.min(ctx.config.maxBodyBytes, LIMITS.maxEnvelopeBytes),
      orgPublicKey: toBase64Url(ctx.keys.orgPublicKey),
      // the active key, a pending one (so peers know it before it signs) and retired ones in their grace
      nodeKeys: ctx.keys.publishedCertificates(now),
      prekeys: ctx.keys.publishedPrekeys(now),
    };
    return c.json(descriptor);
  });
}
