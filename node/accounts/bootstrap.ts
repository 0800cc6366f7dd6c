import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Accounts } from './accounts.js';
import { LoginName } from './accounts.js';

/**
 * The first operator account (ADR 0018). `corridor init` writes `first-account.json` (0600) into
 * the data directory with the password already hashed (scrypt); the node, when it has no account
 * yet, takes it in and deletes the file. With accounts already there the file is left alone and
 * the node says so in the log (someone must look).
 */
export const FIRST_ACCOUNT_FILE = 'first-account.json';

const FirstAccount = z.strictObject({
  name: LoginName,
  displayName: z.string().trim().min(1).max(120),
  password: z.string().min(20).max(400),
});

export function importFirstAccount(dataDir: string, accounts: Accounts, nowMs: number): 'imported' | 'none' | 'ignored' {
  const path = join(dataDir, FIRST_ACCOUNT_FILE);
  if (!existsSync(path)) return 'none';
  if (accounts.count() > 0) return 'ignored';
  let parsed: z.infer<typeof FirstAccount>;
  try {
    parsed = FirstAccount.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    throw new Error(`${FIRST_ACCOUNT_FILE} in the data directory is damaged: run corridor init again or remove it`);
  }
  accounts.insertHashed({ name: parsed.name, displayName: parsed.displayName, role: 'operator', team: null, password: parsed.password }, nowMs);
  rmSync(path);
  return 'imported';
}
