import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { messageType } from '../../protocol/index.js';
import { offerBody } from '../helpers/messages.js';
import { type NodeProcess, connectProcesses, startNodeProcess } from '../helpers/process.js';

const procs: NodeProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const p of procs) await p.kill('SIGTERM');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('real node processes (node dist/node/main.js)', () => {
  it('start, admit each other, deliver over HTTP, answer status', async () => {
    for (const name of ['astra', 'lefoe']) {
      const dir = mkdtempSync(join(tmpdir(), `corridor-proc-${name}-`));
      dirs.push(dir);
      procs.push(await startNodeProcess(name, dir));
    }
    await connectProcesses(procs);
    const [astra, lefoe] = procs as [NodeProcess, NodeProcess];
    const res = await lefoe.local('/api/v1/messages', { method: 'POST', body: JSON.stringify({ to: 'node:astra', typ: messageType('referral', 'offer'), body: offerBody() }) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    let got: { id: string }[] = [];
    for (let i = 0; i < 100 && got.length === 0; i++) {
      got = ((await (await astra.local('/api/v1/messages')).json()) as { messages: { id: string }[] }).messages.filter((m) => m.id === id);
      if (got.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(got).toHaveLength(1);
    // the sender's row ends acknowledged once ASTRA's (batched) ack came back
    let state = '';
    for (let i = 0; i < 100 && state !== 'acknowledged'; i++) {
      const outbox = (await (await lefoe.local('/api/v1/outbox')).json()) as { items: { id: string; state: string }[] };
      state = outbox.items.find((r) => r.id === id)?.state ?? '';
      if (state !== 'acknowledged') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('acknowledged');
    const status = (await (await lefoe.local('/api/v1/status')).json()) as { undelivered: number };
    expect(status.undelivered).toBe(0);
  });

  it('refuses the local API without the token, and a start with bad configuration lists every bad variable', async () => {
    const [astra] = procs as [NodeProcess];
    expect((await fetch(`${astra.url}/api/v1/status`)).status).toBe(401);
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [new URL('../../dist/node/main.js', import.meta.url).pathname], {
      env: { PATH: process.env.PATH ?? '', CORRIDOR_NODE_ID: 'astra', CORRIDOR_PORT: 'eighty', CORRIDOR_DATA_DIR: 'relative/dir' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(78);
    for (const v of ['CORRIDOR_NODE_ID', 'CORRIDOR_ORG_ID', 'CORRIDOR_PORT', 'CORRIDOR_DATA_DIR']) expect(result.stderr).toContain(v);
    expect(result.stderr).not.toContain('eighty');
  });
});
