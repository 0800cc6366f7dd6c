import { stat } from 'node:fs/promises';
import { z } from 'zod';
import {
  type DirectoryManifest,
  type ErrorCode,
  type Member,
  SigningKey,
  StewardSet,
  type SubmissionProblem,
  fingerprint,
  fromBase64Url,
  nextVersion,
  signVersion,
  toBase64Url,
} from '../../protocol/index.js';
import { type InstallAnswer, directoryApi } from '../api/directory.js';
import { EXIT, UsageError } from '../errors.js';
import { fileSize, parseJsonText, readText } from '../files.js';
import type { MessageId, Params } from '../i18n/index.js';
import type { Output } from '../output.js';
import type { ActionContext } from './context.js';
import { joined } from './words.js';

/**
 * `corridor directory publish`: the stewards' side of the directory, run on a steward's laptop
 * against the stewards' node. Reads the steward keys (seeds never leave this process), takes the
 * version held and the entries waiting from the node, builds the next version with protocol's
 * `nextVersion`, shows what changes, refuses below the stewards' threshold, signs and installs.
 * Everything that can be wrong locally (key files, stewards file, too few keys) is found before
 * anything is sent; a failure is one line that names the file, never its content.
 */

export interface PublishArgs {
  keyFiles: string[];
  days: number;
  admit: Member[];
  rekey: Member[];
  remove: string[];
  stewardsFile?: string | undefined;
  dryRun: boolean;
  /** milliseconds: when the version is issued */
  now: number;
  /** warn (on a terminal) about key files other users can read, as ssh does */
  warnOpenKeys: boolean;
}

/** One changed organisation: its entry's sequence number in the new version. */
export interface Change {
  org: string;
  seq: number;
}

export interface PublishResult {
  network: string;
  version: number;
  issued: number;
  expires: number;
  added: Change[];
  changed: Change[];
  removed: string[];
  skipped: SubmissionProblem[];
  signatures: { given: number; threshold: number; stewards: number };
  dryRun: boolean;
  installed: InstallAnswer | null;
}

/** A refusal found here: one line, exit 1, nothing sent. */
class Refusal extends Error {
  constructor(
    readonly id: MessageId,
    readonly params: Params,
    readonly code: ErrorCode,
  ) {
    super(id);
  }
}

const SEED_FILE_MAX = 1024;

/** An anchor file (`{network, stewards}`) or a bare steward set (`{keys, threshold}`). */
const StewardsFile = z.union([StewardSet, z.looseObject({ stewards: StewardSet }).transform((a) => a.stewards)]);

export async function directoryPublish(ctx: ActionContext, args: PublishArgs): Promise<number> {
  try {
    return await publish(ctx, args);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const line = ctx.t(error.id, error.params);
    if (ctx.out.json) ctx.out.data({ error: { code: error.code, message: line } });
    ctx.out.problem(line);
    return EXIT.failed;
  }
}

async function publish({ client, out, t }: ActionContext, args: PublishArgs): Promise<number> {
  const keys = await readStewardKeys(args.keyFiles, args.warnOpenKeys, out, t);
  const fileStewards = args.stewardsFile === undefined ? null : await readStewards(args.stewardsFile);

  const bundle = await directoryApi.bundle(client);
  if (bundle.network === null) throw new Refusal('publish.noAnchor', {}, 'DirectoryUnderSigned');
  const held = bundle.manifest?.manifest ?? null;
  if (held && fileStewards) throw new UsageError('usage.stewardsFileNotNow', { version: held.version });
  if (!held && !fileStewards) throw new UsageError('usage.stewardsFileNeeded');
  const stewards = held?.stewards ?? (fileStewards as StewardSet);
  for (const { file, key } of keys) {
    if (!stewards.keys.some((k) => k.publicKey === toBase64Url(key.publicKey))) throw new Refusal('publish.keyNotSteward', { file }, 'DirectoryUnderSigned');
  }

  const issued = Math.floor(args.now / 1000);
  const next = nextVersion({
    held,
    network: bundle.network,
    submissions: bundle.submissions.map((s) => fromBase64Url(s) ?? new Uint8Array(0)),
    admit: args.admit,
    rekey: args.rekey,
    remove: args.remove,
    ...(held ? {} : { stewards }),
    issued,
    expires: issued + args.days * 86_400,
  });
  if (!next.ok) throw new UsageError('usage.stewardsFileNeeded');
  const { manifest, entries, skipped } = next.value;

  const result: PublishResult = {
    network: manifest.network,
    version: manifest.version,
    issued: manifest.issued,
    expires: manifest.expires,
    ...differences(held, manifest),
    skipped,
    signatures: { given: keys.length, threshold: stewards.threshold, stewards: stewards.keys.length },
    dryRun: args.dryRun,
    installed: null,
  };
  const underSigned = result.signatures.given < stewards.threshold;
  if (underSigned && !args.dryRun) {
    if (!out.json) preview(out, t, result, args, held);
    throw new Refusal('publish.underSigned', { threshold: stewards.threshold, total: stewards.keys.length, given: keys.length }, 'DirectoryUnderSigned');
  }
  if (args.dryRun) {
    if (out.json) out.data(result);
    else {
      preview(out, t, result, args, held);
      out.line(out.style('dim', t('publish.dryRun')));
    }
    return EXIT.ok;
  }

  const { signed } = signVersion(manifest, keys.map((k) => k.key));
  result.installed = await directoryApi.installBundle(client, { manifest: signed, entries: [...entries.values()].map((b) => toBase64Url(b)) });
  if (out.json) {
    out.data(result);
    return EXIT.ok;
  }
  preview(out, t, result, args, held);
  const answer = result.installed;
  if (answer.outcome === 'current') out.line(t('publish.current', { version: String(answer.version) }));
  else out.line(out.style('ok', t('publish.installed', { version: String(answer.version), changed: joined(answer.changed, t), dropped: joined(answer.dropped, t) })));
  return EXIT.ok;
}

/** Each file: one line, a 32-byte seed in base64url (the node's `org-key` format); each key counted once. */
async function readStewardKeys(files: string[], warnOpen: boolean, out: Output, t: ActionContext['t']): Promise<{ file: string; key: SigningKey }[]> {
  const keys = new Map<string, { file: string; key: SigningKey }>();
  for (const file of files) {
    // a seed file is one short line: anything large is the wrong file, and is not read whole
    const size = await fileSize(file);
    const text = size !== null && size > SEED_FILE_MAX ? '' : (await readText(file)).trim();
    const seed = fromBase64Url(text);
    if (!seed || seed.length !== 32) throw new Refusal('publish.keyDamaged', { file }, 'InvalidRequest');
    const key = SigningKey.fromSeed('org', seed);
    seed.fill(0);
    if (warnOpen && ((await stat(file).catch(() => null))?.mode ?? 0) & 0o077) out.problem(out.style('warn', t('publish.keyOpen', { file })));
    if (!keys.has(key.kid)) keys.set(key.kid, { file, key });
  }
  return [...keys.values()];
}

async function readStewards(file: string): Promise<StewardSet> {
  const parsed = StewardsFile.safeParse(parseJsonText(await readText(file), file));
  if (!parsed.success) throw new Refusal('publish.stewardsDamaged', { file }, 'InvalidRequest');
  return parsed.data;
}

/** Organisations added, whose entry changed, and removed, from the version held to the next. */
function differences(held: DirectoryManifest | null, next: DirectoryManifest): Pick<PublishResult, 'added' | 'changed' | 'removed'> {
  const before = new Map((held?.entries ?? []).map((e) => [e.org, e]));
  const after = new Set(next.entries.map((e) => e.org));
  const added: Change[] = [];
  const changed: Change[] = [];
  for (const e of next.entries) {
    const old = before.get(e.org);
    if (!old) added.push({ org: e.org, seq: e.seq });
    else if (old.hash !== e.hash || old.orgKey.publicKey !== e.orgKey.publicKey || old.listedBy !== e.listedBy) changed.push({ org: e.org, seq: e.seq });
  }
  return { added, changed, removed: [...before.keys()].filter((org) => !after.has(org)) };
}

function preview(out: Output, t: ActionContext['t'], r: PublishResult, args: PublishArgs, held: DirectoryManifest | null): void {
  const list = (changes: Change[]) => changes.map((c) => t('list.entry', { org: c.org, seq: String(c.seq) })).join(', ');
  out.line(out.style('strong', t('publish.heading', { network: r.network, version: String(r.version), date: out.date(r.expires) })));
  if (r.added.length > 0) out.line(t('publish.added', { list: list(r.added) }));
  if (r.changed.length > 0) out.line(t('publish.changed', { list: list(r.changed) }));
  if (r.removed.length > 0) out.line(t('publish.removed', { list: r.removed.join(', ') }));
  if (r.added.length + r.changed.length + r.removed.length === 0) out.line(t('publish.nothingChanged'));

  const member = new Set((held?.entries ?? []).filter((e) => !e.listedBy).map((e) => e.org));
  const touched = new Set([...r.added, ...r.changed].map((c) => c.org));
  for (const [m, rekey] of [...args.admit.map((m) => [m, false] as const), ...args.rekey.map((m) => [m, true] as const)]) {
    if (!rekey && member.has(m.org) && !args.remove.includes(m.org)) {
      out.line(out.style('warn', t('publish.alreadyMember', { org: m.org })));
      continue;
    }
    const bytes = fromBase64Url(m.publicKey);
    if (bytes) out.line(t('publish.keyFingerprint', { org: m.org, fingerprint: fingerprint(bytes) }));
    if (!touched.has(m.org)) out.line(out.style('warn', t('publish.noEntryYet', { org: m.org })));
  }

  for (const s of r.skipped) {
    const org = s.org ?? '?';
    out.line(out.style('warn', s.problem === 'Malformed' ? t('skip.Malformed', { index: s.index + 1 }) : t(`skip.${s.problem}`, { org })));
  }
  out.line(t('publish.signatures', { given: r.signatures.given, threshold: r.signatures.threshold, total: r.signatures.stewards }));
}
