import type { Hono } from 'hono';
import { ProtocolError, parseWith } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { DirectorySearchQuery, searchDirectory } from '../../directory/search.js';

const BOOLEAN: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };
const NUMBERS = new Set(['page', 'perPage']);

/**
 * `GET /api/v1/directory/search?q=&country=&city=&type=&language=&served=&licensed=&hotline=&route=GR,MK,RS&page=&perPage=`:
 * offline search of the directory held, ranked and paginated, with why each result matched.
 * Query strings become typed values here; anything the query schema refuses is named by field.
 */
export function mountDirectorySearchGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/directory/search', (c) => {
    const input: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(c.req.queries())) {
      const last = value[value.length - 1] ?? '';
      if (value.length > 1) throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: key, problem: 'repeated' }] });
      if (key === 'licensed' || key === 'hotline') input[key] = BOOLEAN[last] ?? last;
      else if (NUMBERS.has(key)) input[key] = /^\d{1,6}$/.test(last) ? Number(last) : last;
      else if (key === 'route') input[key] = last.split(',').map((s) => s.trim().toUpperCase());
      else input[key] = last;
    }
    const query = parseWith(DirectorySearchQuery, input);
    if (!query.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: query.issues ?? [] });
    const today = new Date(ctx.clock.now()).toISOString().slice(0, 10);
    return c.json(searchDirectory(ctx.handle.sqlite, query.value, { today }));
  });
}
