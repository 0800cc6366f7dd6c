import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { readEnvelope, sha256, signReceipt, toBase64Url, verifyRequest } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { body } from '../../http/errors.js';

/**
 * `PUT /federation/v1/inbox/{id}`: a peer delivers one sealed envelope.
 *
 * The request must carry a valid RFC 9421 signature by a known peer's node key, with a fresh
 * nonce; anything else gets a bare 401 that says nothing about why. The envelope is stored once
 * per (sender, id) together with the signed receipt returned for it, in one transaction; the same
 * bytes again get the same receipt, other bytes under the same id get 409 and an alert. Opening
 * and processing happen later, from the inbox table.
 */
export function mountInboxPut(app: Hono, ctx: NodeContext): void {
  app.put(
    '/federation/v1/inbox/:id',
    bodyLimit({ maxSize: ctx.config.maxBodyBytes, onError: (c) => c.json(body('TooLarge'), 413) }),
    async (c) => {
      // (an upload that breaks off rejects here; app.onError answers it as the client's problem)
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const nowMs = ctx.clock.now();
      const now = Math.floor(nowMs / 1000);
      const url = new URL(c.req.url);
      const verified = verifyRequest({
        method: c.req.method,
        url: `${ctx.publicUrl()}${url.pathname}${url.search}`,
        headers: c.req.raw.headers,
        body: bytes,
        now,
        resolveKey: (node, kid) => ctx.peers.key(node, kid),
      });
      if (!verified.ok) {
        ctx.log.debug('unauthenticated delivery', { problem: verified.problem });
        return c.json(body('Unauthenticated'), 401);
      }
      const sender = verified.value.node;
      if (!ctx.inbox.rememberNonce(`${sender}#${verified.value.kid}#${verified.value.nonce}`, verified.value.expires * 1000 + 1000, nowMs)) {
        ctx.log.warn('replayed request', { peer: sender });
        return c.json(body('Unauthenticated'), 401);
      }

      // from here the sender is authenticated and may learn why an envelope is refused
      const read = readEnvelope(bytes, ctx.config.maxBodyBytes);
      if (!read.ok) return c.json(body(read.code), read.code === 'TooLarge' ? 413 : 400);
      const { header } = read.value;
      if (header.id !== c.req.param('id')) return c.json(body('Malformed', 'the envelope id differs from the URL'), 400);
      if (header.to !== ctx.config.node) return c.json(body('WrongRecipient'), 400);

      const ctSha256 = toBase64Url(sha256(bytes));
      const outcome = ctx.handle.sqlite.transaction(() => {
        const existing = ctx.inbox.find(sender, header.id);
        if (existing) return existing.ctSha256 === ctSha256 ? { kind: 'duplicate' as const, receipt: existing.receipt } : { kind: 'conflict' as const };
        // our latest signed audit checkpoint travels with the receipt: the sender holds it as a witness
        const checkpoint = ctx.audit.checkpoint();
        const receipt = JSON.stringify(
          signReceipt(ctx.keys.nodeKey, { v: 'corridor/1', id: header.id, from: sender, to: ctx.config.node, ctSha256, receivedAt: now, kid: ctx.keys.nodeKey.kid, checkpoint }),
        );
        ctx.inbox.insert({ sender, id: header.id, ctSha256, envelope: bytes, receivedAt: nowMs, receipt });
        return { kind: 'stored' as const, receipt };
      }).immediate();

      ctx.peerReachable(sender);
      if (outcome.kind === 'conflict') {
        ctx.inbox.alert({ at: nowMs, kind: 'id-conflict', peer: sender, messageId: header.id, code: 'IdConflict' });
        ctx.log.warn('same id, different bytes', { peer: sender, id: header.id });
        return c.json(body('IdConflict'), 409);
      }
      if (outcome.kind === 'stored') afterResponse(c, () => ctx.processor.kick());
      return c.body(outcome.receipt, outcome.kind === 'stored' ? 202 : 200, { 'content-type': 'application/json' });
    },
  );
}

/**
 * Run `task` once the answer has gone out (@hono/node-server passes the Node response as
 * `c.env.outgoing`): opening the envelope must not delay the receipt. Without a socket (tests
 * calling app.request), run it at once.
 */
function afterResponse(c: Context, task: () => void): void {
  const outgoing = (c.env as { outgoing?: { once(event: 'finish', listener: () => void): void } } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.once === 'function') outgoing.once('finish', task);
  else task();
}
