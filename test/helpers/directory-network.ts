import {
  type DirectoryManifest,
  type Member,
  SigningKey,
  type SignedManifest,
  type StewardSet,
  fromBase64Url,
  nextVersion,
  sha256,
  signVersion,
  toBase64Url,
} from '../../protocol/index.js';
import { writeAnchor } from '../../node/directory/anchor.js';
import { type SeedOrganisation, loadSeedDirectory } from '../../node/directory/seed.js';
import { type NetworkOptions, type TestNetwork, orgKeyOf, startNetwork } from './network.js';

/**
 * Three (or more) real nodes that learn about each other only from the signed directory: each
 * imports its own HSDS profile from the seed (its node signs its entry), the stewards (3 keys,
 * threshold 2, kept here like an offline laptop) gather the submissions, sign a version with
 * protocol's nextVersion, and hand it to the nodes through the local API, as the CLI does.
 */

export const STEWARD_KEYS = [1, 2, 3].map((i) => SigningKey.fromSeed('org', sha256(new TextEncoder().encode(`corridor test steward ${i}`))));
export const STEWARDS: StewardSet = { keys: STEWARD_KEYS.map((k) => ({ kid: k.kid, publicKey: toBase64Url(k.publicKey) })), threshold: 2 };
export const NETWORK = 'corridor-test';
export const DAY_MS = 86_400_000;

export const seed = (): Map<string, SeedOrganisation> => new Map(loadSeedDirectory().map((o) => [o.org, o]));

export interface Bundle {
  network: string | null;
  manifest: SignedManifest | null;
  entries: string[];
  submissions: string[];
}

export interface DirectoryNetwork {
  net: TestNetwork;
  api(name: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** `name` imports its own organisation from the seed (optionally changed) */
  submitOwn(name: string, change?: (p: SeedOrganisation['profile']) => void): Promise<void>;
  /** the stewards sign the next version from the submissions gathered at `from`; returns it */
  publish(options: { from: string[]; signers?: SigningKey[]; expiresInDays?: number; admit?: string[]; base?: string }): Promise<{ manifest: DirectoryManifest; body: { manifest: SignedManifest; entries: string[] } }>;
  /** POST a bundle to a node's local API */
  install(name: string, body: { manifest: unknown; entries: string[] }): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

const OPERATOR_ONLY = /^\/api\/v1\/(directory\/(bundle|collect)|peers|admin\/)/;

export async function startDirectoryNetwork(names: string[], options: NetworkOptions = {}): Promise<DirectoryNetwork> {
  const net = await startNetwork(names, { ...options, admit: false, prepare: (_name, dataDir) => writeAnchor(dataDir, { network: NETWORK, stewards: STEWARDS }) });
  const orgs = seed();
  const api = async (name: string, method: string, path: string, body?: unknown) => {
    const n = net.nodes[name];
    if (!n) throw new Error(`no node ${name}`);
    const res = await fetch(`${n.url}${path}`, {
      method,
      // the stewards' and the node's own routes take the machine credential (operator), case work a coordinator
      headers: { authorization: `Bearer ${OPERATOR_ONLY.test(path) ? n.node.localToken : n.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: await res.json() };
  };
  const member = (name: string): Member => {
    const k = orgKeyOf(name);
    return { org: `org:${name}`, kid: k.kid, publicKey: toBase64Url(k.publicKey) };
  };
  let held: DirectoryManifest | null = null;

  return {
    net,
    api,
    async submitOwn(name, change) {
      const o = orgs.get(`org:${name}`);
      if (!o) throw new Error(`org:${name} is not in the seed`);
      const profile = structuredClone(o.profile);
      change?.(profile);
      const res = await api(name, 'POST', '/api/v1/directory/hsds', { document: profile, own: profile.id });
      if (res.status !== 200) throw new Error(`import at ${name} failed: ${JSON.stringify(res.json)}`);
    },
    async publish({ from, signers = STEWARD_KEYS.slice(0, 2), expiresInDays = 30, admit = names, base }) {
      const submissions: Uint8Array[] = [];
      let current = held;
      for (const name of from) {
        const bundle = (await api(name, 'GET', '/api/v1/directory/bundle')).json as Bundle;
        for (const s of bundle.submissions) submissions.push(fromBase64Url(s) ?? new Uint8Array(0));
        if (base === name && bundle.manifest) current = bundle.manifest.manifest;
      }
      const now = Math.floor(net.clock.now() / 1000);
      const next = nextVersion({ held: current, network: NETWORK, submissions, admit: admit.map(member), stewards: STEWARDS, issued: now, expires: now + expiresInDays * 86_400 });
      if (!next.ok) throw new Error('nextVersion refused');
      // an entry already carried by the version is skipped as not newer; anything else is a test bug
      const bad = next.value.skipped.filter((k) => k.problem !== 'NotNewer');
      if (bad.length > 0) throw new Error(`submissions skipped: ${JSON.stringify(bad)}`);
      const { signed } = signVersion(next.value.manifest, signers);
      held = next.value.manifest;
      return { manifest: next.value.manifest, body: { manifest: signed, entries: [...next.value.entries.values()].map((b) => toBase64Url(b)) } };
    },
    install: (name, body) => api(name, 'POST', '/api/v1/directory/bundle', body),
    close: () => net.close(),
  };
}
