import type Database from 'better-sqlite3-multiple-ciphers';
import { SEALED_CASE_VALUE_PREFIX } from '../../protocol/index.js';
import type { CaseKeys } from './case-keys.js';

/**
 * Received messages of a case's referral threads under the case's key (ADR 0014 step C): once a
 * message is applied (in the inbox transaction) and its thread belongs to a case here, its opened
 * body and its signed inner bytes are sealed with that case's key, so shredding the key erases
 * them too. The same messages a purge redacts (retention.ts): consent records, withdrawals,
 * acknowledgements and problem reports hold no personal data and stay in the clear as evidence.
 * An offer that arrives before any case exists here is not identifying and stays as it is; a
 * message that arrives on the thread of a case purged already is redacted as the purge would have.
 */

const PREFIX = Buffer.from(SEALED_CASE_VALUE_PREFIX, 'utf8');
const keeps = (typ: string) => typ.startsWith('corridor/consent/') || typ.startsWith('corridor/message/');

export function createThreadMessages(sqlite: Database.Database, caseKeys: CaseKeys) {
  const q = {
    caseOf: sqlite.prepare(`SELECT r.caseId AS caseId, c.state AS state, c.purgeReason AS purgeReason FROM referral r LEFT JOIN case_file c ON c.id = r.caseId WHERE r.id = ? AND r.caseId IS NOT NULL`),
    row: sqlite.prepare(`SELECT body, inner FROM message WHERE sender = ? AND id = ?`),
    set: sqlite.prepare(`UPDATE message SET body = @body, inner = @inner WHERE sender = @sender AND id = @id`),
  };
  const sealed = (inner: Uint8Array) => inner.length >= PREFIX.length && Buffer.from(inner.buffer, inner.byteOffset, PREFIX.length).equals(PREFIX);

  return {
    /** inside the inbox transaction, after the message was applied: seals its body and inner bytes if its thread has a case here */
    seal(m: { from: string; id: string; thid: string; typ: string }): boolean {
      if (keeps(m.typ)) return false;
      const found = q.caseOf.get(m.thid) as { caseId: string; state: string | null; purgeReason: string | null } | undefined;
      const row = q.row.get(m.from, m.id) as { body: string; inner: Buffer } | undefined;
      if (!found || !row || row.inner.length === 0 || sealed(row.inner)) return false;
      if (found.state === 'purged') {
        // a message on the thread of a case erased already: kept as the purge keeps the others (ids only)
        q.set.run({ sender: m.from, id: m.id, body: JSON.stringify({ purged: found.purgeReason ?? 'retention' }), inner: Buffer.alloc(0) });
        return true;
      }
      const body = caseKeys.sealText(found.caseId, row.body, 'message.body');
      const inner = Buffer.from(caseKeys.sealFor(found.caseId, row.inner, 'message.inner'), 'utf8');
      q.set.run({ sender: m.from, id: m.id, body, inner });
      return true;
    },
    /** a message's signed inner bytes as received (for the evidence bundle); sealed ones opened with the case's key */
    openInner(caseId: string, inner: Uint8Array): Uint8Array {
      return sealed(inner) ? caseKeys.openFor(caseId, Buffer.from(inner).toString('utf8'), 'message.inner') : inner;
    },
  };
}

export type ThreadMessages = ReturnType<typeof createThreadMessages>;
