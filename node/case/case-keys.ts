import type Database from 'better-sqlite3-multiple-ciphers';
import { ProtocolError, isSealedCaseValue, newCaseKey, openCaseValue, sealCaseValue, unwrapCaseKey, wrapCaseKey } from '../../protocol/index.js';

/**
 * Per-case keys, the one owner of the `case_key` table (ADR 0014, step C). Each case gets a
 * random 32-byte key the first time one of its fields is sealed, stored wrapped under the key
 * ring's case-key wrapping key; `shred` deletes it, inside the caller's transaction, and from then
 * on every copy of the case's sealed fields (a free page, the WAL, a backup opened with a later
 * ring's key…) is noise. Nothing is cached: a key is unwrapped per use (a point read and 32 bytes
 * of XChaCha20-Poly1305), so a rolled-back transaction can never leave a key in memory that the
 * database does not hold.
 */

const unreadable = (field: string) => new ProtocolError('CaseDataUnreadable', undefined, { issues: [{ path: field, problem: 'does_not_open' }] });
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function createCaseKeys(sqlite: Database.Database, wrappingKey: Uint8Array, now: () => number) {
  const q = {
    get: sqlite.prepare(`SELECT wrapped FROM case_key WHERE caseId = ?`),
    insert: sqlite.prepare(`INSERT INTO case_key (caseId, wrapped, createdAt) VALUES (@caseId, @wrapped, @createdAt) ON CONFLICT (caseId) DO NOTHING`),
    remove: sqlite.prepare(`DELETE FROM case_key WHERE caseId = ?`),
    purged: sqlite.prepare(`SELECT 1 FROM case_file WHERE id = ? AND state = 'purged'`),
  };

  /** the case's key from its wrapped row (`undefined`: read it here; `null`: there is none) */
  function keyOf(caseId: string, wrapped?: Uint8Array | null): Uint8Array | null {
    const bytes = wrapped === undefined ? (q.get.get(caseId) as { wrapped: Buffer } | undefined)?.wrapped : wrapped;
    if (!bytes) return null;
    const key = unwrapCaseKey(new Uint8Array(bytes), caseId, wrappingKey);
    if (!key) throw unreadable('case_key');
    return key;
  }

  /** the case's key; a new one is stored (in the caller's transaction) the first time */
  function keyFor(caseId: string): Uint8Array {
    const held = keyOf(caseId);
    if (held) return held;
    // a purged case never gets a key again: nothing can be sealed (and so kept) for it
    if (q.purged.get(caseId) !== undefined) throw unreadable('case_key');
    const key = newCaseKey();
    q.insert.run({ caseId, wrapped: Buffer.from(wrapCaseKey(key, caseId, wrappingKey)), createdAt: now() });
    return key;
  }

  const api = {
    /** `bytes` sealed with the case's key, bound to the case and the field (a column name) */
    sealFor(caseId: string, bytes: Uint8Array, field = 'data'): string {
      return sealCaseValue(keyFor(caseId), caseId, field, bytes);
    },
    /**
     * the bytes of a sealed field; `CaseDataUnreadable` (naming the field) when the key is gone or
     * the value damaged. `wrapped`: the case's `case_key.wrapped` when the caller read it already
     * (a listing joins it, sparing a query per case); `null` when the join found none.
     */
    openFor(caseId: string, sealed: string, field = 'data', wrapped?: Uint8Array | null): Uint8Array {
      const key = keyOf(caseId, wrapped);
      const plain = key ? openCaseValue(key, caseId, field, sealed) : null;
      if (!plain) throw unreadable(field);
      return plain;
    },
    sealText: (caseId: string, text: string, field = 'data'): string => api.sealFor(caseId, encoder.encode(text), field),
    /** a sealed field's text; a value written before per-case keys (not sealed) is returned as it is */
    openText(caseId: string, stored: string, field = 'data', wrapped?: Uint8Array | null): string {
      if (!isSealedCaseValue(stored)) return stored;
      try {
        return decoder.decode(api.openFor(caseId, stored, field, wrapped));
      } catch (error) {
        if (error instanceof ProtocolError) throw error;
        throw unreadable(field);
      }
    },
    /** crypto-shredding: deletes the case's key (in the caller's transaction); true if there was one */
    shred: (caseId: string): boolean => q.remove.run(caseId).changes > 0,
    has: (caseId: string): boolean => q.get.get(caseId) !== undefined,
  };
  return api;
}

export type CaseKeys = ReturnType<typeof createCaseKeys>;
