import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_KDF, NodeId, OrgId, type ScryptParams, SigningKey, formatKey, hashPassword, keyRing, keySlot, newDatabaseKey, passphraseSlot, randomBytes, ready, sealFile, toBase64Url, withCaseKeyWrappingKey } from '../../protocol/index.js';
import { KEY_RING_FILE, isInside, writeKeyFile, writeKeyRingFile } from '../key-ring.js';
import { EXIT, FileError, UsageError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { NODE_ENV_FILE, ORG_KEY_FILE, Refusal, formatNodeEnv } from '../operator.js';
import type { Output } from '../output.js';

/**
 * `corridor init --data-dir D --org org:x --node node:x [--url https://…] [--port 4000]`: a new
 * node's data directory (0700) with its key ring (`db-key.json`, 0600: a random database key
 * wrapped under the operator's passphrase and under a recovery key printed here once; ADR
 * 0014), the organisation's org key (`org-key`, 0600, sealed under the database key, the format
 * node/admin/secrets.ts reads) and `node.env` (0600). `--key-file F` also writes a key for
 * unattended starts to F (outside the data directory) and names it in node.env. Refuses a
 * directory already set up. Prints the org key's fingerprint to read aloud, and what comes next.
 * The first operator account (`operator`) gets a random password shown once; `first-account.json`
 * (0600) holds only its scrypt hash, and the node takes it in at its first start (ADR 0018).
 */

export const FIRST_ACCOUNT_FILE = 'first-account.json';
export const FIRST_ACCOUNT_NAME = 'operator';

export interface InitArgs {
  dataDir: string;
  org: string | undefined;
  node: string | undefined;
  url: string | undefined;
  port: string | undefined;
  host: string | undefined;
  /** the operator's passphrase (terminal, file or pipe), asked for once the arguments are checked */
  passphrase: () => Promise<string>;
  keyFile: string | undefined;
  /** scrypt cost stored in the ring (the default outside tests) */
  kdf?: ScryptParams;
}

const Url = z.url({ protocol: /^https?$/ });
/** files that say the directory is already a node's */
const TAKEN = [ORG_KEY_FILE, NODE_ENV_FILE, 'corridor.db', 'local-token', FIRST_ACCOUNT_FILE, KEY_RING_FILE] as const;

function checked(args: InitArgs): { org: string; node: string; url: string | undefined; port: number; host: string } {
  if (args.org === undefined || args.org === '') throw new UsageError('usage.missingValue', { option: '--org' });
  if (args.node === undefined || args.node === '') throw new UsageError('usage.missingValue', { option: '--node' });
  if (!OrgId.safeParse(args.org).success) throw new UsageError('init.badId', { option: '--org', example: 'org:astra' });
  if (!NodeId.safeParse(args.node).success) throw new UsageError('init.badId', { option: '--node', example: 'node:astra' });
  if (args.url !== undefined && !Url.safeParse(args.url).success) throw new UsageError('usage.badNode', { option: '--url' });
  const port = Number(args.port ?? '4000');
  if (!/^\d{1,5}$/.test(args.port ?? '4000') || port > 65_535) throw new UsageError('init.badPort', { option: '--port' });
  const host = args.host ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) throw new UsageError('init.badHost', { option: '--host' });
  return { org: args.org, node: args.node, url: args.url?.replace(/\/+$/, ''), port, host };
}

export async function init(out: Output, t: Translate, args: InitArgs): Promise<number> {
  const v = checked(args);
  const dir = args.dataDir;
  if (args.keyFile !== undefined && isInside(args.keyFile, dir)) throw new UsageError('keyFile.insideDataDir', { option: '--key-file' });
  let existing: string[] = [];
  try {
    existing = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new Refusal('init.notAFolder', { dir });
    if (code !== 'ENOENT') throw new FileError('file.unreadable', dir, { cause: error });
  }
  const taken = TAKEN.find((f) => existing.includes(f));
  if (taken !== undefined) throw new Refusal('init.exists', { file: join(dir, taken) });
  const passphrase = await args.passphrase();

  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  } catch (error) {
    throw new FileError('file.cannotWrite', dir, { cause: error });
  }
  await ready();
  const key = SigningKey.generate('org');
  const databaseKey = newDatabaseKey();
  const recoveryKey = newDatabaseKey();
  const fileKey = args.keyFile === undefined ? null : newDatabaseKey();
  // the ring's second key, which wraps each case's own key, comes with it (ADR 0014 step C)
  const { ring } = withCaseKeyWrappingKey(
    keyRing([
      await passphraseSlot(databaseKey, passphrase, args.kdf ?? DEFAULT_KDF),
      keySlot(databaseKey, 'recovery', recoveryKey),
      ...(fileKey === null ? [] : [keySlot(databaseKey, 'key-file', fileKey)]),
    ]),
    databaseKey,
  );
  const settings: Record<string, string> = {
    CORRIDOR_NODE_ID: v.node,
    CORRIDOR_ORG_ID: v.org,
    CORRIDOR_DATA_DIR: dir,
    CORRIDOR_HOST: v.host,
    CORRIDOR_PORT: String(v.port),
    ...(v.url === undefined ? {} : { CORRIDOR_PUBLIC_URL: v.url }),
    ...(args.keyFile === undefined ? {} : { CORRIDOR_KEY_FILE: args.keyFile }),
  };
  const header = [
    `Corridor node settings, written by "corridor init" on ${new Date().toISOString().slice(0, 10)}.`,
    '"corridor serve --data-dir <this folder>" starts the node with them; docs/operations.md lists every variable.',
  ];
  const password = toBase64Url(randomBytes(18));
  const firstAccount = { name: FIRST_ACCOUNT_NAME, displayName: 'Operator', password: await hashPassword(password) };
  const written: string[] = [];
  try {
    if (args.keyFile !== undefined && fileKey !== null) {
      await writeKeyFile(args.keyFile, fileKey, dir, '--key-file');
      written.push(args.keyFile);
    }
    await writeKeyRingFile(dir, ring, { replace: false });
    written.push(join(dir, KEY_RING_FILE));
    for (const [name, content] of [
      [ORG_KEY_FILE, sealFile(key.exportSeed(), databaseKey)],
      [NODE_ENV_FILE, formatNodeEnv(settings, header)],
      [FIRST_ACCOUNT_FILE, `${JSON.stringify(firstAccount)}\n`],
    ] as const) {
      const file = join(dir, name);
      // `wx`: never over an existing file, even one that appeared a moment ago
      await writeFile(file, content, { mode: 0o600, flag: 'wx' });
      written.push(file);
      await chmod(file, 0o600);
    }
  } catch (error) {
    for (const file of written) await rm(file, { force: true });
    if (error instanceof Refusal || error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Refusal('init.exists', { file: join(dir, ORG_KEY_FILE) });
    throw new FileError('file.cannotWrite', dir, { cause: error });
  }

  const fingerprint = key.fingerprint();
  const next = [
    t('init.next.fingerprint'),
    t('init.next.anchor', { dir }),
    t('init.next.stewards', { dir }),
    t('init.next.serve', { dir }),
    t('init.next.offline', { file: join(dir, ORG_KEY_FILE) }),
  ];
  if (out.json) {
    out.data({
      dataDir: dir,
      org: v.org,
      node: v.node,
      url: v.url ?? null,
      host: v.host,
      port: v.port,
      orgKid: key.kid,
      fingerprint,
      recoveryKey: formatKey(recoveryKey),
      files: { orgKey: join(dir, ORG_KEY_FILE), nodeEnv: join(dir, NODE_ENV_FILE), keyRing: join(dir, KEY_RING_FILE), keyFile: args.keyFile ?? null },
      firstAccount: { name: FIRST_ACCOUNT_NAME, password },
      next,
    });
    return EXIT.ok;
  }
  out.line(out.style('ok', t('init.done', { node: v.node, org: v.org, dir })));
  out.line();
  out.line(t('init.fingerprint'));
  out.line(`    ${out.style('strong', fingerprint)}`);
  out.line();
  out.line(out.style('warn', t('init.firstAccount', { name: FIRST_ACCOUNT_NAME, password })));
  out.line(out.style('warn', t('init.recoveryKey')));
  out.line(`    ${out.style('strong', formatKey(recoveryKey))}`);
  if (args.keyFile !== undefined) out.line(t('init.keyFile', { file: args.keyFile }));
  out.line();
  out.line(out.style('strong', t('init.nextHeading')));
  next.forEach((step, i) => out.line(`  ${i + 1}. ${step}`));
  return EXIT.ok;
}
