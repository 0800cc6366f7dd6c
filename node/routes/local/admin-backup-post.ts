import type { Hono } from 'hono';
import { z } from 'zod';
import type { NodeContext } from '../../context.js';
import { backupDataDir } from '../../admin/backup.js';
import { readJson } from '../../http/input.js';

export const BackupRequest = z.strictObject({ path: z.string().min(1).max(4096) });

/**
 * `POST /api/v1/admin/backup {path}`: while the node runs, a consistent copy of its database and
 * data directory files into `path` (absolute, empty or new, outside the data directory) with a
 * manifest of sizes and SHA-256s. Not encrypted yet (issue 7). Answers the manifest.
 */
export function mountAdminBackupPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/admin/backup', async (c) => {
    const { path } = await readJson(c, BackupRequest);
    const manifest = await backupDataDir({ handle: ctx.handle, dataDir: ctx.config.dataDir, target: path, node: ctx.config.node, org: ctx.config.org, now: ctx.clock.now() });
    ctx.log.info('backup written', { files: manifest.files.length, bytes: manifest.files.reduce((a, f) => a + f.bytes, 0) });
    return c.json({ path, ...manifest }, 201);
  });
}
