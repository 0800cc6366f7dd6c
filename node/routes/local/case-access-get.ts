import type { Hono } from 'hono';
import type { NodeContext } from '../../context.js';
import { paging } from '../../http/input.js';

/**
 * `GET /api/v1/cases/{id}/access`: who saw this case: the audit log's `case-viewed` and
 * `case-exported` entries about it, newest first, paged (`limit`, `offset`), each with its time,
 * kind, the actor as the log holds it (`account:<id>` or the node) and, for an account, its
 * display name (a staff member's, never the person's). The entries themselves hold ids only.
 */
const KINDS = new Set(['case-viewed', 'case-exported']);

export function mountCaseAccessGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/cases/:id/access', (c) => {
    const found = ctx.casework.cases.require(c.req.param('id'));
    const { limit, offset } = paging(c);
    const decoder = new TextDecoder();
    const all = ctx.audit
      .entriesAbout(found.id)
      .map(({ seq, bytes }) => ({ seq, entry: JSON.parse(decoder.decode(bytes)) as { at: number; kind: string; actor: string } }))
      .filter(({ entry }) => KINDS.has(entry.kind))
      .reverse();
    const names = new Map<string, string | null>();
    const nameOf = (accountId: string): string | null => {
      if (!names.has(accountId)) names.set(accountId, ctx.access.accounts.get(accountId)?.displayName ?? null);
      return names.get(accountId) ?? null;
    };
    const entries = all.slice(offset, offset + limit).map(({ seq, entry }) => {
      const accountId = entry.actor.startsWith('account:') ? entry.actor.slice('account:'.length) : null;
      return { seq, at: entry.at, kind: entry.kind, actor: entry.actor, accountId, name: accountId === null ? null : nameOf(accountId) };
    });
    return c.json({ caseId: found.id, total: all.length, limit, offset, entries });
  });
}
