import type { Context } from 'hono';
import type { z } from 'zod';
import { ProtocolError, parseWith } from '../../protocol/index.js';

/**
 * The local API's input: JSON parsed and checked against a zod schema; anything else is
 * `InvalidRequest` with the path of every problem and never a value.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ProtocolError('InvalidRequest', 'the body is not JSON', { issues: [{ path: '(body)', problem: 'not_json' }] });
  }
  const parsed = parseWith(schema, json);
  if (!parsed.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: parsed.issues ?? [] });
  return parsed.value;
}

/** `limit` and `offset` from the query string, bounded. */
export function paging(c: Context): { limit: number; offset: number } {
  const n = (v: string | undefined, d: number, max: number) => (v !== undefined && /^\d{1,6}$/.test(v) ? Math.min(Number(v), max) : d);
  const limit = n(c.req.query('limit'), 50, 500);
  const offset = n(c.req.query('offset'), 0, 1_000_000);
  for (const key of ['limit', 'offset']) {
    const v = c.req.query(key);
    if (v !== undefined && !/^\d{1,6}$/.test(v)) throw new ProtocolError('InvalidRequest', undefined, { issues: [{ path: key, problem: 'not_a_number' }] });
  }
  return { limit: Math.max(1, limit), offset };
}
