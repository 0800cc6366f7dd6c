import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type DirectoryManifest, type Member, SigningKey, ready, type StewardSet, fromBase64Url, keyId, keyRing, keySlot, newDatabaseKey, nextVersion, randomBytes, signVersion, toBase64Url } from '../../protocol/index.js';
import { writeKeyFile, writeKeyRingFile } from '../key-ring.js';
import { type LocalClient, createLocalClient } from '../client.js';
import { type DemoNode, demoNode } from './processes.js';

/**
 * The demo network: Open Gate (Skopje), ASTRA (Belgrade) and LEFÖ-IBF (Vienna) as three real
 * node processes with their own encrypted SQLite databases in a temporary directory (each
 * unlocked by a key file beside its data directory, as an unattended node is). Three demo stewards
 * (two of three must sign) publish the first directory from the seed: each organisation imports
 * its own entry, Open Gate lists the organisations of the route that run no node.
 */

export const DEMO_ORGS = ['open-gate', 'astra', 'lefoe-ibf'] as const;
export type DemoOrg = (typeof DEMO_ORGS)[number];

const SEED_URL = new URL('../../data/seed-directory.json', import.meta.url);
const Seed = z.object({ organizations: z.array(z.object({ org: z.string(), profile: z.record(z.string(), z.unknown()) })) });

export interface DemoNetwork {
  readonly dir: string;
  readonly nodes: Record<DemoOrg, DemoNode>;
  readonly stewards: SigningKey[];
  client(org: DemoOrg): LocalClient;
  /** the stewards sign the next version from what the nodes submitted and hand it to every node */
  publish(): Promise<number>;
  stop(): Promise<void>;
}

const ANY = z.unknown();

export async function startDemoNetwork(dir: string): Promise<DemoNetwork> {
  await ready();
  const stewards = [1, 2, 3].map(() => SigningKey.generate('org'));
  const stewardSet: StewardSet = { keys: stewards.map((k) => ({ kid: k.kid, publicKey: toBase64Url(k.publicKey) })), threshold: 2 };
  const nodes = {} as Record<DemoOrg, DemoNode>;
  for (const name of DEMO_ORGS) {
    const dataDir = join(dir, name);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dataDir, 'directory-anchor.json'), `${JSON.stringify({ network: 'corridor-demo', stewards: stewardSet }, null, 2)}\n`);
    const fileKey = newDatabaseKey();
    const keyFile = join(dir, `${name}.key`);
    await writeKeyRingFile(dataDir, keyRing([keySlot(newDatabaseKey(), 'key-file', fileKey)]), { replace: false });
    await writeKeyFile(keyFile, fileKey, dataDir, 'CORRIDOR_KEY_FILE');
    nodes[name] = demoNode(name, dataDir, { CORRIDOR_KEY_FILE: keyFile });
  }
  try {
    await Promise.all(DEMO_ORGS.map((n) => nodes[n].start()));
  } catch (error) {
    await Promise.all(DEMO_ORGS.map((n) => nodes[n].stop()));
    throw error;
  }
  // the node's machine credential (operator) installs the directory; the story is told by each
  // organisation's coordinator, signed in with an account of their own (ADR 0018)
  const machine = (org: DemoOrg) => createLocalClient({ baseUrl: nodes[org].url, token: readFileSync(join(nodes[org].dataDir, 'local-token'), 'utf8').trim(), timeoutMs: 30_000 });
  const sessions = {} as Record<DemoOrg, string>;
  for (const name of DEMO_ORGS) {
    const password = toBase64Url(randomBytes(18));
    await machine(name).post('/api/v1/accounts', { name: 'coordinator', displayName: 'Demo coordinator', role: 'coordinator', password }, ANY);
    sessions[name] = (await machine(name).post('/api/v1/session', { name: 'coordinator', password }, z.object({ token: z.string() }))).token;
  }
  const client = (org: DemoOrg) => createLocalClient({ baseUrl: nodes[org].url, token: sessions[org], timeoutMs: 30_000 });

  const seed = Seed.parse(JSON.parse(readFileSync(SEED_URL, 'utf8')));
  for (const name of DEMO_ORGS) {
    const own = seed.organizations.find((o) => o.org === `org:${name}`);
    if (!own) throw new Error(`the seed directory has no ${name}`);
    await client(name).post('/api/v1/directory/hsds', { document: own.profile, own: own.profile.id }, ANY);
  }
  const others = seed.organizations.filter((o) => !DEMO_ORGS.some((n) => `org:${n}` === o.org)).map((o) => o.profile);
  if (others.length > 0) {
    const page = { total_items: others.length, total_pages: 1, page_number: 1, size: others.length, first_page: true, last_page: true, empty: false, contents: others };
    await client('open-gate').post('/api/v1/directory/hsds', { document: page }, ANY);
  }

  // the members' org keys, as the stewards would have compared them by fingerprint
  const members: Member[] = [];
  for (const name of DEMO_ORGS) {
    const descriptor = (await (await fetch(`${nodes[name].url}/.well-known/corridor`)).json()) as { org: string; orgPublicKey: string };
    const publicKey = fromBase64Url(descriptor.orgPublicKey);
    if (!publicKey) throw new Error(`the ${name} node publishes no org key`);
    members.push({ org: descriptor.org, kid: keyId('org', publicKey), publicKey: descriptor.orgPublicKey });
  }

  let held: DirectoryManifest | null = null;
  const Bundle = z.object({ submissions: z.array(z.string()) });
  const network: DemoNetwork = {
    dir,
    nodes,
    stewards,
    client,
    async publish() {
      const submissions: Uint8Array[] = [];
      for (const name of DEMO_ORGS) {
        const bundle = await machine(name).get('/api/v1/directory/bundle', Bundle);
        for (const s of bundle.submissions) submissions.push(fromBase64Url(s) ?? new Uint8Array());
      }
      const now = Math.floor(Date.now() / 1000);
      const next = nextVersion({ held, network: 'corridor-demo', submissions, admit: members, stewards: stewardSet, issued: now, expires: now + 30 * 86_400 });
      if (!next.ok) throw new Error('the stewards could not build the next version');
      const { signed } = signVersion(next.value.manifest, stewards.slice(0, 2));
      const body = { manifest: signed, entries: [...next.value.entries.values()].map((b) => toBase64Url(b)) };
      for (const name of DEMO_ORGS) {
        if (nodes[name].child) await machine(name).post('/api/v1/directory/bundle', body, ANY);
      }
      held = next.value.manifest;
      return held.version;
    },
    async stop() {
      await Promise.all(DEMO_ORGS.map((n) => nodes[n].stop()));
    },
  };
  await network.publish();
  return network;
}
