import { Hono } from 'hono';
import type { NodeContext } from './context.js';
import { errorHandler, notFound } from './http/errors.js';
import { localAuth } from './http/local-auth.js';
import { mountDirectoryEntryGet } from './routes/federation/directory-entry-get.js';
import { mountDirectoryGet as mountMirrorGet } from './routes/federation/directory-get.js';
import { mountDirectorySubmissionsGet } from './routes/federation/directory-submissions-get.js';
import { mountInboxPut } from './routes/federation/inbox-put.js';
import { mountDirectoryBundleGet } from './routes/local/directory-bundle-get.js';
import { mountDirectoryBundlePost } from './routes/local/directory-bundle-post.js';
import { mountDirectoryCollectPost } from './routes/local/directory-collect-post.js';
import { mountDirectoryGet } from './routes/local/directory-get.js';
import { mountDirectoryHsdsGet } from './routes/local/directory-hsds-get.js';
import { mountDirectoryHsdsPost } from './routes/local/directory-hsds-post.js';
import { mountDirectoryOrgGet } from './routes/local/directory-org-get.js';
import { mountDirectorySearchGet } from './routes/local/directory-search-get.js';
import { mountDirectorySyncPost } from './routes/local/directory-sync-post.js';
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
  mountMirrorGet(app, ctx);
  mountDirectoryEntryGet(app, ctx);
  mountDirectorySubmissionsGet(app, ctx);

  app.use('/api/v1/*', localAuth(localToken));
  mountMessagesPost(app, ctx);
  mountMessagesGet(app, ctx);
  mountOutboxGet(app, ctx);
  mountPeersPut(app, ctx);
  mountStatusGet(app, ctx);
  mountDirectoryGet(app, ctx);
  mountDirectorySearchGet(app, ctx);
  mountDirectoryOrgGet(app, ctx);
  mountDirectoryHsdsPost(app, ctx);
  mountDirectoryHsdsGet(app, ctx);
  mountDirectorySyncPost(app, ctx);
  mountDirectoryBundleGet(app, ctx);
  mountDirectoryBundlePost(app, ctx);
  mountDirectoryCollectPost(app, ctx);
  return app;
}
