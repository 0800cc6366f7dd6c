import type { Hono } from 'hono';
import type { WebEnv } from '../session.js';

/**
 * A case's document, downloaded: the local API's `GET /api/v1/attachments/{id}` passed through
 * as it is (the API decides who may read it and records nothing less than it would for the CLI).
 * Always a download, never shown inline; never cached; the URL holds the id only, never the name.
 */
export function mountDocument(app: Hono<WebEnv>): void {
  app.get('/documents/:id{[0-9A-HJKMNP-TV-Z]{26}}', async (c) => {
    const answer = await c.get('api').raw(`/api/v1/attachments/${c.req.param('id')}`);
    return new Response(answer.body, {
      status: 200,
      headers: {
        'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
        'content-disposition': answer.headers.get('content-disposition') ?? 'attachment',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  });
}
