import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * Baseline for the node benchmark: a bare Hono server on @hono/node-server that reads a POSTed
 * body and answers a small JSON object. Same framework, same HTTP stack, no crypto, no SQLite.
 * Prints `{"listening": url}` like node/main.ts.
 */
const app = new Hono();
app.post('/echo', async (c) => {
  const body = await c.req.arrayBuffer();
  return c.json({ ok: true, bytes: body.byteLength }, 202);
});
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`${JSON.stringify({ listening: `http://127.0.0.1:${info.port}`, pid: process.pid })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
