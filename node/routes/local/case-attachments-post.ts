import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { AttachmentManifest, LIMITS, ProtocolError, parseWith } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { body } from '../../http/errors.js';

const MEDIA_TYPE = AttachmentManifest.shape.mediaType;
const invalid = (path: string, problem: string) => new ProtocolError('InvalidRequest', undefined, { issues: [{ path, problem }] });
/** the query: the file name shown to the case workers (no control characters) */
export const AttachmentUploadQuery = z.strictObject({ name: z.string().min(1).max(200).regex(/^\P{Cc}+$/u, 'file name').optional() });

/**
 * `POST /api/v1/cases/{id}/attachments?name=…`: attach a file to a case (a medical certificate,
 * tickets). The body is the file itself, `content-type` its media type; at most
 * LIMITS.maxAttachmentBytes (else 413 before it is read). Sealed on the way in (a fresh key,
 * the node key's signed manifest) and stored encrypted; answers the attachment without its key.
 */
export function mountCaseAttachmentsPost(app: Hono, ctx: NodeContext): void {
  app.post(
    '/api/v1/cases/:id/attachments',
    bodyLimit({ maxSize: LIMITS.maxAttachmentBytes, onError: (c) => c.json(body('TooLarge', 'the attachment is larger than the limit'), 413) }),
    async (c) => {
      const found = ctx.casework.cases.require(c.req.param('id'));
      if (found.state === 'purged' || found.data === null) throw new ProtocolError('NotFound', 'the case was purged');
      const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!MEDIA_TYPE.safeParse(mediaType).success) throw invalid('content-type', 'not_a_media_type');
      const query = parseWith(AttachmentUploadQuery, c.req.query());
      if (!query.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: query.issues ?? [] });
      const name = query.value.name;
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.length === 0) throw invalid('(body)', 'empty');
      const added = ctx.casework.attachments.add(found.id, bytes, { mediaType, ...(name !== undefined ? { name } : {}) });
      return c.json(added, 201);
    },
  );
}
