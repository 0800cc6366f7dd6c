import type { Hono } from 'hono';
import { ProtocolError } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { exportHsds } from '../../directory/hsds/export.js';

/**
 * `GET /api/v1/directory/hsds`: the directory held, as an HSDS 3.0 organization list (services
 * nested, Corridor facts also as HSDS attributes), checked against the official schemas.
 */
export function mountDirectoryHsdsGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/directory/hsds', (c) => {
    const { store } = ctx.directory;
    const profiles = (store.current()?.manifest.entries ?? []).flatMap((ref) => {
      const found = store.orgEntry(ref.org);
      return found ? [found.entry.profile] : [];
    });
    const page = exportHsds(profiles);
    if (!page.ok) throw new ProtocolError('Internal', 'the export does not validate', { issues: page.issues ?? [] });
    return c.json(page.value);
  });
}
