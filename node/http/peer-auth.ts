import type { MiddlewareHandler } from 'hono';
import { verifyRequest } from '../../protocol/index.js';
import type { NodeContext } from '../context.js';
import { body } from './errors.js';

export type PeerEnv = { Variables: { peer: string } };

/**
 * Federation reads (the directory mirror) need an RFC 9421 signature by a known peer's node key
 * with a fresh nonce, like deliveries; anything else gets a bare 401. A GET has no body, so its
 * content-length is 0 even when the client's fetch leaves the header out.
 */
export function peerReadAuth(ctx: NodeContext): MiddlewareHandler<PeerEnv> {
  return async (c, next) => {
    const nowMs = ctx.clock.now();
    const url = new URL(c.req.url);
    const raw = c.req.raw.headers;
    const verified = verifyRequest({
      method: c.req.method,
      url: `${ctx.publicUrl()}${url.pathname}${url.search}`,
      headers: { get: (name) => raw.get(name) ?? (name.toLowerCase() === 'content-length' ? '0' : null) },
      body: new Uint8Array(0),
      now: Math.floor(nowMs / 1000),
      resolveKey: (node, kid) => ctx.peers.key(node, kid),
    });
    if (!verified.ok) {
      ctx.log.debug('unauthenticated read', { problem: verified.problem });
      return c.json(body('Unauthenticated'), 401);
    }
    const { node, kid, nonce, expires } = verified.value;
    if (!ctx.inbox.rememberNonce(`${node}#${kid}#${nonce}`, expires * 1000 + 1000, nowMs)) return c.json(body('Unauthenticated'), 401);
    c.set('peer', node);
    ctx.peerReachable(node);
    await next();
  };
}
