import type Database from 'better-sqlite3-multiple-ciphers';
import { ProtocolError, hashPassword, randomBytes, sha256, toBase64Url, verifyPassword } from '../../protocol/index.js';
import type { AccessEvents } from './access-events.js';
import { type AccountRow, type AccountView, type Accounts, LoginName, publicView } from './accounts.js';

/**
 * Signing in and sessions (ADR 0018). A session token is 32 random bytes, given once to its
 * holder and kept here only as its SHA-256. A session ends after `idleMs` without use, at
 * `absoluteMs` after login whatever the use, at logout, or when its account is disabled, changes
 * role or gets a new password.
 *
 * Failed logins are counted per login name (by its hash, so unknown names count the same as
 * known ones and nothing tells them apart) and over all names, in SQLite, so a restart resets
 * nothing: from the 5th failure in a row a name is locked for 15 minutes, doubling with each
 * further failure up to a day; 100 failures within 15 minutes over all names lock every login for
 * 5 minutes. A locked login is refused even with the right password, before the password is
 * checked. An attempt counts as a failure before its password is checked, and is taken back when
 * it was right, so parallel guesses cannot pass the lock together.
 */

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export const THROTTLE = {
  perName: { freeFailures: 4, lockMs: 15 * 60_000, maxLockMs: 24 * 3600_000, forgetMs: 24 * 3600_000 },
  overall: { failures: 100, windowMs: 15 * 60_000, lockMs: 5 * 60_000 },
} as const;

export interface SignedIn {
  token: string;
  account: AccountView;
  expiresAt: number;
  idleMs: number;
}

export interface SessionInfo {
  account: AccountRow;
  expiresAt: number;
  idleExpiresAt: number;
}

export interface Sessions {
  login(name: string, password: string, nowMs: number): Promise<SignedIn>;
  /** the live session of this token, its use recorded; null when unknown, expired or revoked */
  resolve(token: string, nowMs: number): SessionInfo | null;
  logout(token: string, nowMs: number): void;
  endAll(accountId: string, nowMs: number): void;
}

interface Throttle {
  failures: number;
  windowStart: number;
  lockedUntil: number;
}

const hashToken = (token: string) => toBase64Url(sha256(new TextEncoder().encode(token)));

export function createSessions(sqlite: Database.Database, accounts: () => Accounts, events: AccessEvents, policy: SessionPolicy): Sessions {
  const q = {
    throttle: sqlite.prepare('SELECT failures, windowStart, lockedUntil FROM login_throttle WHERE key = ?'),
    putThrottle: sqlite.prepare('INSERT INTO login_throttle (key, failures, windowStart, lockedUntil) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, windowStart = excluded.windowStart, lockedUntil = excluded.lockedUntil'),
    clearThrottle: sqlite.prepare('DELETE FROM login_throttle WHERE key = ?'),
    insert: sqlite.prepare('INSERT INTO session (tokenHash, accountId, createdAt, lastUsedAt, expiresAt) VALUES (?, ?, ?, ?, ?)'),
    get: sqlite.prepare('SELECT accountId, lastUsedAt, expiresAt, revokedAt FROM session WHERE tokenHash = ?'),
    touch: sqlite.prepare('UPDATE session SET lastUsedAt = ? WHERE tokenHash = ?'),
    revoke: sqlite.prepare('UPDATE session SET revokedAt = ? WHERE tokenHash = ? AND revokedAt IS NULL'),
    revokeAll: sqlite.prepare('UPDATE session SET revokedAt = ? WHERE accountId = ? AND revokedAt IS NULL'),
    forget: sqlite.prepare('DELETE FROM session WHERE expiresAt < ? OR revokedAt < ?'),
  };
  // hashed once, so that an unknown name costs the same scrypt as a known one
  let decoy: Promise<string> | null = null;
  const readThrottle = (key: string): Throttle | null => (q.throttle.get(key) as Throttle | undefined) ?? null;

  // counted before the password is checked (and taken back on success), so that parallel
  // attempts cannot all pass the lock while the first ones are still hashing
  const count = (nameKey: string, nowMs: number): void => {
    sqlite.transaction(() => {
      const mine = readThrottle(nameKey);
      const fresh = !mine || nowMs - mine.windowStart > THROTTLE.perName.forgetMs;
      const failures = fresh ? 1 : mine.failures + 1;
      const over = failures - THROTTLE.perName.freeFailures;
      const lockedUntil = over > 0 ? nowMs + Math.min(THROTTLE.perName.lockMs * 2 ** (over - 1), THROTTLE.perName.maxLockMs) : 0;
      q.putThrottle.run(nameKey, failures, fresh ? nowMs : mine.windowStart, lockedUntil);
      const all = readThrottle('all');
      const allFresh = !all || nowMs - all.windowStart > THROTTLE.overall.windowMs;
      const allFailures = allFresh ? 1 : all.failures + 1;
      q.putThrottle.run('all', allFailures, allFresh ? nowMs : all.windowStart, allFailures >= THROTTLE.overall.failures ? nowMs + THROTTLE.overall.lockMs : (all?.lockedUntil ?? 0));
    })();
  };
  const uncount = (nameKey: string): void => {
    sqlite.transaction(() => {
      q.clearThrottle.run(nameKey);
      const all = readThrottle('all');
      if (all && all.failures > 0) q.putThrottle.run('all', all.failures - 1, all.windowStart, all.lockedUntil);
    })();
  };

  return {
    async login(name, password, nowMs) {
      const parsed = LoginName.safeParse(name);
      const nameKey = `name:${toBase64Url(sha256(new TextEncoder().encode(parsed.success ? parsed.data : name)))}`;
      const locked = Math.max(readThrottle(nameKey)?.lockedUntil ?? 0, readThrottle('all')?.lockedUntil ?? 0);
      const found = parsed.success ? accounts().byName(parsed.data) : null;
      if (nowMs < locked) {
        events.loginFailed(found?.id ?? null, 'RateLimited');
        throw new ProtocolError('RateLimited', 'too many failed logins; try again later');
      }
      count(nameKey, nowMs);
      if (!found) decoy ??= hashPassword('decoy password, never used');
      const matches = await verifyPassword(password, found?.password ?? (await decoy!));
      if (!found || !matches || found.disabled) {
        events.loginFailed(found?.id ?? null, 'LoginFailed');
        throw new ProtocolError('LoginFailed');
      }
      uncount(nameKey);
      const token = toBase64Url(randomBytes(32));
      const expiresAt = nowMs + policy.absoluteMs;
      q.insert.run(hashToken(token), found.id, nowMs, nowMs, expiresAt);
      q.forget.run(nowMs - 7 * 86_400_000, nowMs - 7 * 86_400_000);
      return { token, account: publicView(found), expiresAt, idleMs: policy.idleMs };
    },
    resolve(token, nowMs) {
      if (token.length < 20 || token.length > 100) return null;
      const h = hashToken(token);
      const s = q.get.get(h) as { accountId: string; lastUsedAt: number; expiresAt: number; revokedAt: number | null } | undefined;
      if (!s || s.revokedAt !== null || nowMs >= s.expiresAt || nowMs - s.lastUsedAt >= policy.idleMs) return null;
      const account = accounts().get(s.accountId);
      if (!account || account.disabled) return null;
      if (nowMs - s.lastUsedAt >= 1000) q.touch.run(nowMs, h);
      return { account, expiresAt: s.expiresAt, idleExpiresAt: Math.min(s.expiresAt, Math.max(nowMs, s.lastUsedAt) + policy.idleMs) };
    },
    logout: (token, nowMs) => void q.revoke.run(nowMs, hashToken(token)),
    endAll: (accountId, nowMs) => void q.revokeAll.run(nowMs, accountId),
  };
}
