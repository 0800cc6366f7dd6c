import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryNetwork, startDirectoryNetwork } from '../helpers/directory-network.js';
import { cliOnNetwork } from '../helpers/cli-io.js';

/**
 * `corridor keys rotate --node-key` and `corridor keys revoke` against real in-process nodes
 * with a signed directory: the JSON and the sentence, then every kind of bad input as one line
 * with the right exit code, nothing echoed, nothing signed.
 */

const NAMES = ['open-gate', 'astra'];
let dn: DirectoryNetwork;
const { cli, json, oneLine } = cliOnNetwork(() => dn, /at .*\(|Error:|yesterday|bored/);

beforeAll(async () => {
  dn = await startDirectoryNetwork(NAMES);
  for (const name of NAMES) await dn.submitOwn(name);
  const v1 = await dn.publish({ from: NAMES });
  for (const name of NAMES) await dn.install(name, v1.body);
}, 60_000);

afterAll(async () => {
  await dn?.close();
});

const ctxOf = (name: string) => {
  const n = dn.net.nodes[name];
  if (!n) throw new Error(name);
  return n.node.ctx;
};

describe('corridor keys rotate --node-key and keys revoke', () => {
  it('rotate --node-key: a pending key in the entry, in JSON and in a sentence; the stewards publish and the node switches', async () => {
    const k1 = ctxOf('astra').keys.nodeKey.kid;
    const answer = await json('astra', 'keys', 'rotate', '--node-key');
    expect(answer).toMatchObject({ key: 'node', nodeKey: { kid: k1, pending: { kid: expect.stringMatching(/^nsk-/), created: true } } });
    const k2 = answer.nodeKey.pending.kid as string;
    const human = await cli('astra', 'keys', 'rotate', '--node-key', '--lang', 'sr');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`Ključ čvora ${k2} je overen`);
    const v2 = await dn.publish({ from: ['astra'] });
    for (const name of NAMES) await dn.install(name, v2.body);
    expect(ctxOf('astra').keys.nodeKey.kid).toBe(k2);
  });

  it('revoke: a retired key revoked from a moment, in JSON; then refused a second time', async () => {
    const retired = ctxOf('astra').keys.nodeKeys().find((k) => k.state === 'retired')?.kid ?? '';
    const answer = await json('astra', 'keys', 'revoke', retired, '--compromised-since', '2026-11-27T10:00Z', '--reason', 'retired');
    expect(answer).toMatchObject({ revoked: retired, compromisedSince: Date.UTC(2026, 10, 27, 10) / 1000, pending: null });
    expect(oneLine(await cli('astra', 'keys', 'revoke', retired, '--compromised-since', '2026-11-27'), 1)).toMatch(/refused the request/);
  });

  it('bad input: one line, the right exit code, nothing signed', async () => {
    const astra = ctxOf('astra');
    const before = astra.directory.store.submissions().map((s) => s.seq);
    const kid = astra.keys.nodeKey.kid;
    const cases: [string[], number, RegExp][] = [
      [['keys', 'revoke', 'nsk-AAAAAAAAAAAAAAAA', '--compromised-since', '2026-11-27'], 1, /^Not found\.$/],
      [['keys', 'revoke', kid, '--compromised-since', 'yesterday'], 2, /--compromised-since must be a moment written YYYY-MM-DD/],
      [['keys', 'revoke', kid, '--compromised-since', '2026-02-30'], 2, /--compromised-since must be a moment/],
      [['keys', 'revoke', kid, '--compromised-since', '2026-11-27T25:00Z'], 2, /--compromised-since must be a moment/],
      [['keys', 'revoke', kid, '--compromised-since', '2099-01-01'], 1, /refused the request/],
      [['keys', 'revoke', 'astra', '--compromised-since', '2026-11-27'], 2, /KID must be a key id/],
      [['keys', 'revoke', 'spk-AAAAAAAAAAAAAAAA', '--compromised-since', '2026-11-27'], 2, /KID must be a key id/],
      [['keys', 'revoke', kid], 2, /--compromised-since is missing/],
      [['keys', 'revoke', '--compromised-since', '2026-11-27'], 2, /KID is missing/],
      [['keys', 'revoke', kid, '--compromised-since', '2026-11-27', '--reason', 'bored'], 2, /--reason must be one of: compromised, device-lost, retired/],
      [['keys', 'revoke', kid, 'extra', '--compromised-since', '2026-11-27'], 2, /Too many words/],
    ];
    for (const [args, exit, message] of cases) expect(oneLine(await cli('astra', ...args), exit), args.join(' ')).toMatch(message);
    expect(astra.directory.store.submissions().map((s) => s.seq)).toEqual(before);
    expect(astra.keys.nodeKeys().filter((k) => k.state === 'pending')).toEqual([]);
  });

  it('--help names the options in the chosen language', async () => {
    const r = await cli('astra', 'keys', 'revoke', '--help', '--lang', 'de');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--compromised-since/);
    expect(r.stdout).toMatch(/seit wann der Schlüssel in fremden Händen sein kann/);
    const rotate = await cli('astra', 'keys', 'rotate', '--help');
    expect(rotate.stdout).toMatch(/--node-key/);
  });
});
