import { z } from 'zod';
import { type ScryptParams, fromBase64Url, randomBytes, scryptKey, toBase64Url } from './crypto/native.js';
import { equalBytes } from './crypto/sodium.js';

/**
 * Password hashes: scrypt (RFC 7914) with a random 16-byte salt, the cost stored with each hash
 * so that it can be raised later without locking anyone out (ADR 0018: N=2^15, r=8, p=1, 32 MiB;
 * measured in test/node/accounts-routes.test.ts to stay well under a second here). Pure
 * computation: node/ keeps account hashes, `corridor init` writes the first one.
 */
export const PASSWORD_COST: ScryptParams = { logN: 15, r: 8, p: 1 };

const Stored = z.object({
  alg: z.literal('scrypt'),
  logN: z.number().int().min(10).max(22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.string().min(16).max(64),
  hash: z.string().min(32).max(128),
});

const encode = (s: string) => new TextEncoder().encode(s.normalize('NFC'));

export async function hashPassword(password: string, cost: ScryptParams = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptKey(encode(password), salt, cost, 32);
  return JSON.stringify({ alg: 'scrypt', logN: cost.logN, r: cost.r, p: cost.p, salt: toBase64Url(salt), hash: toBase64Url(hash) });
}

/** Constant-time comparison; a damaged stored hash never matches (and never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  let parsed: z.infer<typeof Stored>;
  try {
    parsed = Stored.parse(JSON.parse(stored));
  } catch {
    return false;
  }
  const salt = fromBase64Url(parsed.salt);
  const expected = fromBase64Url(parsed.hash);
  if (!salt || !expected) return false;
  const got = await scryptKey(encode(password), salt, { logN: parsed.logN, r: parsed.r, p: parsed.p }, expected.length);
  return got.length === expected.length && equalBytes(got, expected);
}

/** What a new password must be: long enough to resist guessing, short enough to hash. */
export const Password = z.string().min(10).max(1024);
