import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { MAX_MANIFEST_BYTES, ProtocolError, canonicalBytes, fromBase64Url, parseWith, sha256, toBase64Url } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { body } from '../../http/errors.js';

export const Bundle = z.strictObject({
  manifest: z.record(z.string(), z.unknown()),
  entries: z.array(z.string().regex(/^[A-Za-z0-9_-]*$/).max(22 * 1024 * 1024)).max(100_000),
});

/**
 * `POST /api/v1/directory/bundle`: install a directory version brought by the stewards or from a
 * file, with the entries this node lacks. Checked exactly as one fetched from a peer: signatures,
 * threshold, rollback, every entry against its hash and its organisation's key.
 */
export function mountDirectoryBundlePost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/directory/bundle', bodyLimit({ maxSize: 4 * MAX_MANIFEST_BYTES, onError: (c) => c.json(body('TooLarge'), 413) }), async (c) => {
    const input = parseWith(Bundle, await c.req.json().catch(() => undefined));
    if (!input.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: input.issues ?? [] });
    const supplied = new Map<string, Uint8Array>();
    for (const [i, text] of input.value.entries.entries()) {
      const bytes = fromBase64Url(text);
      if (!bytes) throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: `entries.${i}`, problem: 'invalid_format' }] });
      supplied.set(toBase64Url(sha256(bytes)), bytes);
    }
    const outcome = ctx.directory.installer.install(canonicalBytes(input.value.manifest), supplied, 'local', ctx.clock.now());
    switch (outcome.kind) {
      case 'installed':
        // the new peers' prekeys, so a referral can be sealed to them right away
        await ctx.directory.sync.fetchPrekeys().catch(() => undefined);
        return c.json({ outcome: 'installed', version: outcome.version, changed: outcome.changed, dropped: outcome.dropped });
      case 'current':
        return c.json({ outcome: 'current', version: outcome.version, changed: [], dropped: [] });
      case 'missing':
        throw new ProtocolError('InvalidRequest', `${outcome.refs.length} entries are missing from the bundle`, {
          issues: outcome.refs.slice(0, 50).map((r) => ({ path: `entries[${r.org}]`, problem: 'missing' })),
        });
      case 'refused':
        throw new ProtocolError(outcome.code, outcome.org ? `refused because of the entry of ${outcome.org}` : undefined);
    }
  });
}
