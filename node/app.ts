import { Hono } from 'hono';
import type { NodeContext } from './context.js';
import { errorHandler, notFound } from './http/errors.js';
import { localAuth } from './http/local-auth.js';
import { mountInboxPut } from './routes/federation/inbox-put.js';
import { mountMessagesGet } from './routes/local/messages-get.js';
import { mountMessagesPost } from './routes/local/messages-post.js';
import { mountOutboxGet } from './routes/local/outbox-get.js';
import { mountPeersPut } from './routes/local/peers-put.js';
import { mountStatusGet } from './routes/local/status-get.js';
import { mountWellKnown } from './routes/well-known.js';

/** The node's HTTP surface: the federation API for peers, the local API for the CLI. */
export function buildApp(ctx: NodeContext, localToken: string): Hono {
  const app = new Hono();
  app.onError(errorHandler(ctx.log.child('http')));
  app.notFound(notFound);

  mountWellKnown(app, ctx);
  mountInboxPut(app, ctx);

  app.use('/api/v1/*', localAuth(localToken));
  mountMessagesPost(app, ctx);
  mountMessagesGet(app, ctx);
  mountOutboxGet(app, ctx);
  mountPeersPut(app, ctx);
  mountStatusGet(app, ctx);
  return app;
}
