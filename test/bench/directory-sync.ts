import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import {
  type DirectoryEntry,
  type DirectoryManifest,
  type EntryRef,
  type NodeDescriptor,
  type OrgProfile,
  LIMITS,
  PROTOCOL_VERSION,
  SigningKey,
  canonicalBytes,
  certifyNodeKey,
  fromBase64Url,
  parseJson,
  sha256,
  signBytes,
  signEntry,
  signVersion,
  toBase64Url,
  verifyBytes,
  verifyDirectoryManifest,
  verifyEntry,
} from '../../protocol/index.js';
import { manualClock } from '../../node/clock.js';
import { writeAnchor } from '../../node/directory/anchor.js';
import { importHsds } from '../../node/directory/hsds/import.js';
import { exportHsds } from '../../node/directory/hsds/export.js';
import { validateHsds } from '../../node/directory/hsds/validate.js';
import { createLogger } from '../../node/logger.js';
import { type CorridorNode, createNode } from '../../node/node.js';
import { applyKey } from '../../node/db/client.js';
import { TEST_CASE_KEY_WRAPPING_KEY, TEST_DATABASE_KEY } from '../helpers/node-db.js';
import { generateDirectory } from '../helpers/directory-generator.js';
import { NETWORK, STEWARDS, STEWARD_KEYS } from '../helpers/directory-network.js';
import { orgKeyOf, testConfig } from '../helpers/network.js';
import { DAY, T0 } from '../helpers/time.js';
import type { BenchLine } from './envelope.js';
import { round2, round3 } from './measure.js';

/**
 * The signed directory at scale (ADR 0011, issue 4), on realistic entries from the generator
 * (20 services each, every organisation with a node entry and a node-key certificate):
 *  1. verifying a full version (stewards' threshold 2 of 3, then every entry: hash, length,
 *     RFC 8785 form, org signature) at 1,000 and 5,000 organisations, against the bare Ed25519
 *     verifications alone (same signatures over precomputed bytes);
 *  2. installing a full version of 5,000 organisations / 100,000 services into a real node
 *     (installer: verification, SQLite, search index, peers), and the first sync of a second real
 *     node from it over HTTP, against raw better-sqlite3 inserts of the same entry bytes;
 *  3. the refresh after one organisation changed between the two real nodes: bytes moved against
 *     a full copy (manifest + every entry) and the refresh time;
 *  4. the HSDS import rate (importHsds of an organization list page, 500 × 20 services) against
 *     the ajv validation of the same document alone.
 * ratio = baseline / ours (time, or bytes for the refresh): below 1 means slower than the floor.
 */

const enc = new TextEncoder();
const dec = new TextDecoder();
const WINDOW = { notBefore: T0 - 30 * DAY, notAfter: T0 + 335 * DAY };
const SIGNERS = STEWARD_KEYS.slice(0, 2);

interface Signed {
  entry: DirectoryEntry;
  bytes: Uint8Array;
  ref: EntryRef;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}
async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}
const progress = (text: string) => process.stderr.write(`  directory-sync: ${text}\n`);
const mb = (bytes: number) => round2(bytes / 1_048_576);
/**
 * Both nodes share this event loop, which a large install blocks for seconds: let the keep-alive
 * timers that expired meanwhile close their idle sockets before the next sync, or it may reuse a
 * socket the other side is closing (ECONNRESET: the sync then reports the peer unreachable).
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * RFC 8785 for the fixture only, on plain JSON data of strings, integers, booleans, arrays and
 * objects (what the generator makes): keys sorted by UTF-16 code units, JSON.stringify for the
 * rest. Several times faster than the canonicalize package; any difference would be caught,
 * since every entry is verified against protocol's canonicalBytes below.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * signEntry's bytes, canonicalised once instead of twice: `entry` < `orgKid` < `signature`, so
 * the RFC 8785 form of the signed entry is the entry's own canonical text between fixed keys.
 * Checked against signEntry on the first entry; every entry is verified by the benchmark anyway.
 */
function signFast(orgKey: SigningKey, entry: DirectoryEntry): Signed {
  const text = JSON.stringify(sortKeys(entry));
  const signature = toBase64Url(signBytes(orgKey, 'directoryEntry', enc.encode(text)));
  const bytes = enc.encode(`{"entry":${text},"orgKid":${JSON.stringify(orgKey.kid)},"signature":${JSON.stringify(signature)}}`);
  const ref: EntryRef = { org: entry.org, orgKey: { kid: orgKey.kid, publicKey: toBase64Url(orgKey.publicKey) }, seq: entry.seq, hash: toBase64Url(sha256(bytes)), length: bytes.length };
  return { entry, bytes, ref };
}

interface FakeOrg {
  org: string;
  orgKey: SigningKey;
  signed: Signed;
}

/**
 * Node keys of the organisations whose node does not run here: a few reused (a node key is only
 * ever checked against its certificate at install; deriving a key costs about 0.5 ms), whereas
 * every organisation has its own org key, so the verification cost is that of 5,000 distinct keys.
 */
let nodeKeys: SigningKey[] | undefined;

/** An organisation with a node nobody runs: a node entry, a certified node key, an unreachable URL. */
function fakeOrg(i: number, profile: OrgProfile): FakeOrg {
  const label = `bench-${String(i).padStart(5, '0')}`;
  const org = `org:${label}`;
  const node = `node:${label}`;
  const orgKey = SigningKey.fromSeed('org', sha256(enc.encode(`corridor bench org ${i}`)));
  nodeKeys ??= Array.from({ length: 16 }, (_, k) => SigningKey.fromSeed('node', sha256(enc.encode(`corridor bench node ${k}`))));
  const nodeKey = nodeKeys[i % nodeKeys.length]!;
  const certificate = certifyNodeKey(orgKey, org, { node, publicKey: nodeKey.publicKey, ...WINDOW });
  const entry: DirectoryEntry = {
    v: PROTOCOL_VERSION,
    org,
    seq: 1,
    updated: T0 - DAY,
    name: profile.name.slice(0, 200),
    profile,
    nodes: [{ node, url: `https://${label}.bench.invalid/`, protocols: [PROTOCOL_VERSION], maxBytes: LIMITS.maxEnvelopeBytes, nodeKeys: [certificate], revocations: [] }],
  };
  return { org, orgKey, signed: signFast(orgKey, entry) };
}

function manifestOf(refs: EntryRef[], version: number, issued = T0 - DAY): { manifest: DirectoryManifest; bytes: Uint8Array } {
  const manifest: DirectoryManifest = { network: NETWORK, version, issued, expires: T0 + 30 * DAY, stewards: STEWARDS, entries: [...refs].sort((a, b) => (a.org < b.org ? -1 : 1)) };
  return { manifest, bytes: signVersion(manifest, SIGNERS).bytes };
}

/** What a node does with a fetched version before writing anything (install.ts, minus SQLite). */
function verifyVersion(manifestBytes: Uint8Array, entries: ReadonlyMap<string, Uint8Array>): number {
  const json = parseJson(dec.decode(manifestBytes));
  if (!json.ok) throw new Error('manifest is not JSON');
  const manifest = verifyDirectoryManifest(json.value, STEWARDS);
  if (!manifest.ok) throw new Error(`manifest refused: ${manifest.code}`);
  for (const ref of manifest.value.entries) {
    const bytes = entries.get(ref.hash);
    if (!bytes || !verifyEntry(bytes, ref).ok) throw new Error(`entry of ${ref.org} refused`);
  }
  return manifest.value.entries.length;
}

/** The floor: the same Ed25519 verifications over bytes prepared beforehand (entries + 2 stewards). */
function bareVerifications(manifest: DirectoryManifest, manifestBytes: Uint8Array, signed: Signed[]) {
  const m = JSON.parse(dec.decode(manifestBytes)) as { signatures: { kid: string; signature: string }[] };
  const manifestCanon = canonicalBytes(manifest);
  const items = [
    ...m.signatures.map((s) => {
      const key = STEWARDS.keys.find((k) => k.kid === s.kid);
      return { domain: 'directory' as const, publicKey: fromBase64Url(key?.publicKey ?? '')!, bytes: manifestCanon, signature: fromBase64Url(s.signature)! };
    }),
    ...signed.map((s) => {
      const parsed = JSON.parse(dec.decode(s.bytes)) as { entry: unknown; signature: string };
      return { domain: 'directoryEntry' as const, publicKey: fromBase64Url(s.ref.orgKey.publicKey)!, bytes: canonicalBytes(parsed.entry), signature: fromBase64Url(parsed.signature)! };
    }),
  ];
  return () => {
    for (const v of items) if (!verifyBytes(v.publicKey, v.domain, v.bytes, v.signature)) throw new Error('bare verification failed');
  };
}

function verifyLine(organisations: number, services: number, manifest: DirectoryManifest, manifestBytes: Uint8Array, signed: Signed[], rounds: number): BenchLine {
  const entries = new Map(signed.map((s) => [s.ref.hash, s.bytes]));
  const bare = bareVerifications(manifest, manifestBytes, signed);
  const ours: number[] = [];
  const floor: number[] = [];
  for (let r = 0; r < rounds; r++) {
    floor.push(time(bare));
    ours.push(time(() => verifyVersion(manifestBytes, entries)));
  }
  const entryBytes = signed.reduce((n, s) => n + s.bytes.length, 0);
  return {
    bench: 'directory-verify-version',
    organisations,
    services,
    manifest_bytes: manifestBytes.length,
    entry_bytes_avg: Math.round(entryBytes / signed.length),
    ours_ms: round2(median(ours)),
    ours_per_entry_ms: round3(median(ours) / organisations),
    floor_bare_ed25519_ms: round2(median(floor)),
    baseline: `bare Ed25519: ${organisations} entry signatures + 2 steward signatures over precomputed bytes`,
    ratio: round3(median(floor) / median(ours)),
    ...(organisations === 1000 ? { target_ms: 1000 } : {}),
    rounds_ms: ours.map(round2),
    statistic: rounds === 1 ? 'one run (after the floor)' : `median of ${rounds} interleaved rounds (floor, ours)`,
  };
}

interface RealNode {
  name: string;
  node: CorridorNode;
  url: string;
  dataDir: string;
}

export async function benchDirectorySync(options: { organisations?: number; servicesPerOrg?: number; verifyRounds?: number; refreshes?: number; hsdsOrganisations?: number } = {}): Promise<BenchLine[]> {
  const organisations = options.organisations ?? 5000;
  const servicesPerOrg = options.servicesPerOrg ?? 20;
  const verifyRounds = options.verifyRounds ?? 5;
  const refreshes = options.refreshes ?? 3;
  const hsdsOrganisations = options.hsdsOrganisations ?? 500;
  const small = Math.min(1000, organisations - 2);
  const services = organisations * servicesPerOrg;
  const lines: BenchLine[] = [];
  const dirs: string[] = [];
  const nodes: RealNode[] = [];
  let t = performance.now();
  const profiles = generateDirectory({ organisations, servicesPerOrg, seed: 20_260_101 });
  try {
    const fakes: FakeOrg[] = [];
    for (let i = 2; i < organisations; i++) fakes.push(fakeOrg(i, profiles[i]!));
    // the shortcut gives signEntry's exact bytes
    const check = signEntry(fakes[0]!.orgKey, fakes[0]!.signed.entry);
    if (toBase64Url(sha256(check.bytes)) !== fakes[0]!.signed.ref.hash) throw new Error('signFast differs from signEntry');
    progress(`${organisations - 2} entries generated and signed in ${Math.round(performance.now() - t)} ms`);

    // 1. verify a full version of 1,000 organisations
    {
      const signed = fakes.slice(0, small).map((f) => f.signed);
      const { manifest, bytes } = manifestOf(signed.map((s) => s.ref), 1);
      lines.push(verifyLine(small, small * servicesPerOrg, manifest, bytes, signed, verifyRounds));
      progress(`verify ${small}: ${String(lines.at(-1)?.ours_ms)} ms`);
    }

    // two real nodes, each publishing its own entry (its real node certificate) through its node
    const clock = manualClock(T0 * 1000);
    const hosts = new Set<string>();
    let refusedFetches = 0;
    const benchFetch: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!hosts.has(url.host)) {
        refusedFetches++;
        throw new TypeError('fetch failed: no node runs at this benchmark address');
      }
      return fetch(input, init);
    };
    for (const [i, name] of ['bench-a', 'bench-b'].entries()) {
      const dataDir = mkdtempSync(join(tmpdir(), `corridor-bench-sync-${name}-`));
      dirs.push(dataDir);
      const config = testConfig(name, dataDir);
      writeAnchor(dataDir, { network: NETWORK, stewards: STEWARDS });
      const node = await createNode(config, { clock, fetch: benchFetch, orgKey: orgKeyOf(name), log: createLogger('silent'), databaseKey: TEST_DATABASE_KEY, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY });
      const { url } = await node.listen({ host: '127.0.0.1', port: 0 });
      hosts.add(new URL(url).host);
      const profile = profiles[i]!;
      node.ctx.directory.own.submit([profile], { own: profile.id, nowMs: clock.now() });
      nodes.push({ name, node, url, dataDir });
    }
    const [a, b] = nodes as [RealNode, RealNode];
    const own = nodes.map((n) => {
      const s = n.node.ctx.directory.store.submissions().find((x) => x.org === `org:${n.name}`);
      if (!s) throw new Error(`no own entry at ${n.name}`);
      const key = orgKeyOf(n.name);
      const bytes = new Uint8Array(s.bytes);
      const entry = (JSON.parse(dec.decode(bytes)) as { entry: DirectoryEntry }).entry;
      return { entry, bytes, ref: { org: s.org, orgKey: { kid: key.kid, publicKey: toBase64Url(key.publicKey) }, seq: s.seq, hash: s.hash, length: bytes.length } } satisfies Signed;
    });
    const all: Signed[] = [...own, ...fakes.map((f) => f.signed)];
    const entryMap = new Map(all.map((s) => [s.ref.hash, s.bytes]));
    const entryBytes = all.reduce((n, s) => n + s.bytes.length, 0);
    let held = manifestOf(all.map((s) => s.ref), 1);

    // 1b. the same at 5,000 organisations, once
    lines.push(verifyLine(organisations, services, held.manifest, held.bytes, all, 1));
    progress(`verify ${organisations}: ${String(lines.at(-1)?.ours_ms)} ms`);

    // 2. node A installs the full version (the stewards hand it over); floor: raw inserts of the same bytes
    t = performance.now();
    const installed = a.node.ctx.directory.installer.install(held.bytes, entryMap, 'stewards', clock.now());
    const installMs = performance.now() - t;
    if (installed.kind !== 'installed') throw new Error(`install at A: ${JSON.stringify(installed)}`);
    progress(`install at A: ${Math.round(installMs)} ms`);
    const rawDir = mkdtempSync(join(tmpdir(), 'corridor-bench-sync-raw-'));
    dirs.push(rawDir);
    const raw = new Database(join(rawDir, 'raw.sqlite'));
    applyKey(raw, TEST_DATABASE_KEY); // encrypted, as the node's database
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    const rawMs: number[] = [];
    for (let r = 0; r < 3; r++) {
      raw.exec('DROP TABLE IF EXISTS entry; CREATE TABLE entry (hash TEXT PRIMARY KEY, org TEXT NOT NULL, seq INTEGER NOT NULL, bytes BLOB NOT NULL)');
      const insert = raw.prepare('INSERT INTO entry (hash, org, seq, bytes) VALUES (?, ?, ?, ?)');
      rawMs.push(time(() => raw.transaction(() => all.forEach((s) => insert.run(s.ref.hash, s.ref.org, s.ref.seq, Buffer.from(s.bytes))))()));
    }
    raw.close();
    const floorMs = median(rawMs);
    const verify5000 = Number(lines.at(-1)?.ours_ms ?? 0);
    lines.push({
      bench: 'directory-install-full',
      organisations,
      services,
      bytes: held.bytes.length + entryBytes,
      bytes_mb: mb(held.bytes.length + entryBytes),
      install_ms: round2(installMs),
      services_per_s: round2(services / (installMs / 1000)),
      of_which_verify_ms_est: round2(verify5000),
      floor_raw_insert_ms: round2(floorMs),
      baseline: 'raw better-sqlite3 inserts of the same entry bytes in one transaction (WAL, synchronous NORMAL; median of 3)',
      ratio: round3(floorMs / installMs),
      statistic: 'one run: installer.install at a fresh node (verification, SQLite, search index and optimize, peers)',
    });

    // 2b. node B's first sync from A over HTTP (B knows A by its descriptor, A knows B from the version)
    const descriptor = (await (await fetch(`${a.url}/.well-known/corridor`)).json()) as NodeDescriptor;
    b.node.ctx.peers.admit(descriptor, orgKeyOf(a.name).publicKey, clock.now());
    refusedFetches = 0;
    await settle();
    const first = await timeAsync(() => b.node.ctx.directory.sync.sync(`node:${a.name}`));
    if (first.value.outcome !== 'updated') throw new Error(`first sync at B: ${JSON.stringify(first.value)}`);
    const firstRefused = refusedFetches;
    progress(`first sync at B over HTTP: ${Math.round(first.ms)} ms`);
    // the pass over peers without a prekey that ends every updating sync, alone
    refusedFetches = 0;
    const prekeyMs = (await timeAsync(() => b.node.ctx.directory.sync.fetchPrekeys())).ms;
    lines.push({
      bench: 'directory-first-sync-http',
      organisations,
      services,
      bytes: first.value.bytes,
      bytes_mb: mb(first.value.bytes),
      sync_ms: round2(first.ms),
      services_per_s: round2(services / (first.ms / 1000)),
      prekey_pass_ms: round2(prekeyMs),
      prekey_pass_peers: refusedFetches,
      floor_raw_insert_ms: round2(floorMs),
      ratio: round3(floorMs / first.ms),
      statistic: `one run: sync() at a new node from a real node on 127.0.0.1 (signed GETs of the manifest and ${organisations} entries, 8 at a time, install, then prekeys of ${firstRefused} peers that are unreachable here; prekey_pass_ms is that last pass alone)`,
    });

    // 3. one organisation changes: N+1 at A, B refreshes from A
    const refresh: { ms: number; bytes: number; full: number }[] = [];
    const byOrg = new Map(fakes.map((f) => [f.org, f]));
    for (let r = 0; r < refreshes; r++) {
      const f = fakes[Math.floor(((r + 0.5) * fakes.length) / refreshes)]!;
      const before = byOrg.get(f.org)!.signed;
      const changed = signFast(f.orgKey, { ...before.entry, seq: before.entry.seq + 1, updated: T0 + r, profile: { ...before.entry.profile, description: `${before.entry.profile.description ?? ''} New office hours (${r}).` } });
      byOrg.set(f.org, { ...f, signed: changed });
      clock.advance({ minutes: 10 });
      held = manifestOf(held.manifest.entries.map((e) => (e.org === f.org ? changed.ref : e)), held.manifest.version + 1, Math.floor(clock.now() / 1000));
      const atA = a.node.ctx.directory.installer.install(held.bytes, new Map([[changed.ref.hash, changed.bytes]]), 'stewards', clock.now());
      if (atA.kind !== 'installed') throw new Error(`refresh install at A: ${JSON.stringify(atA)}`);
      await settle();
      const got = await timeAsync(() => b.node.ctx.directory.sync.sync(`node:${a.name}`));
      if (got.value.outcome !== 'updated' || got.value.version !== held.manifest.version) throw new Error(`refresh at B: ${JSON.stringify(got.value)}`);
      const full = held.bytes.length + held.manifest.entries.reduce((n, e) => n + e.length, 0);
      refresh.push({ ms: got.ms, bytes: got.value.bytes, full });
    }
    const refreshBytes = median(refresh.map((x) => x.bytes));
    const fullBytes = median(refresh.map((x) => x.full));
    const refreshMs = median(refresh.map((x) => x.ms));
    progress(`refresh at B: ${Math.round(refreshMs)} ms, ${refreshBytes} of ${fullBytes} bytes`);
    lines.push({
      bench: 'directory-refresh-one-changed',
      organisations,
      services,
      refresh_bytes: refreshBytes,
      manifest_bytes: held.bytes.length,
      full_copy_bytes: fullBytes,
      percent_of_full: round3((100 * refreshBytes) / fullBytes),
      target_percent: 5,
      refresh_ms: round2(refreshMs),
      refresh_ms_less_prekey_pass: round2(refreshMs - prekeyMs),
      refresh_ms_rounds: refresh.map((x) => round2(x.ms)),
      first_sync_ms: round2(first.ms),
      baseline: 'a full copy: the signed manifest and every entry',
      ratio: round3(fullBytes / refreshBytes),
      time_ratio: round3(first.ms / refreshMs),
      statistic: `median of ${refreshes} refreshes (sync() at B from A over HTTP), each after another organisation changed; includes the prekey pass (prekey_pass_ms)`,
    });
  } finally {
    for (const n of nodes) await n.node.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }

  // 4. HSDS import rate (after the nodes are gone: memory)
  {
    const exported = exportHsds(profiles.slice(0, hsdsOrganisations));
    if (!exported.ok) throw new Error(`exportHsds refused the generated profiles: ${JSON.stringify(exported.issues?.slice(0, 5))}`);
    const page = exported.value;
    const documentBytes = Buffer.byteLength(JSON.stringify(page));
    const ours: number[] = [];
    const floor: number[] = [];
    for (let r = 0; r < 3; r++) {
      floor.push(
        time(() => {
          if (validateHsds('organization_list', page).length > 0) throw new Error('the exported page does not validate');
        }),
      );
      ours.push(
        time(() => {
          const imported = importHsds(page, { defaults: {} });
          if (!imported.ok || imported.value.profiles.length !== hsdsOrganisations) throw new Error('importHsds refused the exported page');
        }),
      );
    }
    const hsdsServices = hsdsOrganisations * servicesPerOrg;
    progress(`HSDS import of ${hsdsServices} services: ${Math.round(median(ours))} ms`);
    lines.push({
      bench: 'hsds-import',
      organisations: hsdsOrganisations,
      services: hsdsServices,
      document_bytes: documentBytes,
      document_mb: mb(documentBytes),
      import_ms: round2(median(ours)),
      services_per_s: round2(hsdsServices / (median(ours) / 1000)),
      floor_validate_ms: round2(median(floor)),
      baseline: "ajv validation alone of the same document (validateHsds('organization_list'))",
      ratio: round3(median(floor) / median(ours)),
      statistic: 'median of 3 interleaved rounds (floor, ours) on an exportHsds page',
    });
  }
  return lines;
}
