import type { Hono } from 'hono';
import { ProtocolError, Ulid } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';

/**
 * `GET /api/v1/attachments/{id}`: the decrypted content of a stored attachment, for the case
 * worker (checked against its signed manifest first). Sent as a download, never rendered.
 */
export function mountAttachmentGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/attachments/:id', (c) => {
    const id = c.req.param('id');
    if (!Ulid.safeParse(id).success) throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: 'id', problem: 'not_an_id' }] });
    const { row, bytes } = ctx.casework.attachments.content(id);
    const disposition = row.name ? `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}` : 'attachment';
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': row.mediaType,
      'content-disposition': disposition,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });
}
