import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Hono } from 'hono';
import { ATTACHMENT_MEDIA_TYPE, Ulid } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { body } from '../../http/errors.js';
import { peerReadAuth } from '../../http/peer-auth.js';

/**
 * `GET /federation/v1/attachments/{id}`: the ciphertext of an attachment (secretstream chunks),
 * for the peer it was handed to. The request is signed like every federation request (else a
 * bare 401); a peer the attachment was not disclosed to hears 404, as if it did not exist. The
 * key never travels here: it went inside the sealed handover or update.
 */
export function mountAttachmentGet(app: Hono, ctx: NodeContext): void {
  app.get('/federation/v1/attachments/:id', peerReadAuth(ctx), (c) => {
    const id = c.req.param('id');
    if (!Ulid.safeParse(id).success) return c.json(body('InvalidRequest', 'not an attachment id'), 400);
    const { attachments } = ctx.casework;
    const file = attachments.disclosedTo(id, c.get('peer')) ? attachments.ciphertextFile(id) : null;
    if (!file) return c.json(body('NotFound'), 404);
    const stream = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
    return c.body(stream, 200, { 'content-type': ATTACHMENT_MEDIA_TYPE, 'content-length': String(file.size), 'cache-control': 'no-store' });
  });
}
