import type Database from 'better-sqlite3-multiple-ciphers';
import { atomically as inTransaction, purgeCheckpoint } from '../db/client.js';
import { z } from 'zod';
import { IsoDate } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { Cases } from './cases.js';

/**
 * Retention, purging and legal holds. A purge empties the case (cases.purge keeps the row with
 * ids only) and also what this node kept of the messages that carried the case: the opened
 * message bodies and signed inner bytes of every referral thread of that case, and the sealed
 * envelopes they came in (this node holds the prekeys that open them). Consent records,
 * acknowledgements and problem reports hold no personal data and stay as evidence.
 * A legal hold (a court order, a legal obligation) keeps the data; it is stated, never hidden.
 */

export const LegalHoldInput = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  court: z.string().trim().min(1).max(200).optional(),
  /** the day the hold ends (inclusive); open-ended when left out */
  until: IsoDate.optional(),
});
export type LegalHoldInput = z.infer<typeof LegalHoldInput>;

export interface LegalHold {
  caseId: string;
  reason: string;
  court: string | null;
  until: string | null;
  setAt: number;
}

export type PurgeReason = 'retention' | 'consent-withdrawn' | 'consent-expired';

export interface RetentionDeps {
  sqlite: Database.Database;
  cases: Cases;
  log: Logger;
  /** a closed case is purged this many days after closure */
  retentionDays: number;
  /**
   * @TODO attachments: when files arrive (protocol 10.7), delete the case's stored files here
   * and return how many were deleted; the deletion receipt then says `deleted-attachments`.
   */
  deleteAttachments?: (caseId: string, nowMs: number) => number;
}

const DAY_MS = 86_400_000;

export function createRetention(deps: RetentionDeps) {
  const { sqlite } = deps;
  const q = {
    setHold: sqlite.prepare(
      `INSERT INTO legal_hold (caseId, reason, court, until, setAt) VALUES (@caseId, @reason, @court, @until, @setAt)
       ON CONFLICT (caseId) DO UPDATE SET reason = excluded.reason, court = excluded.court, until = excluded.until, setAt = excluded.setAt`,
    ),
    hold: sqlite.prepare(`SELECT caseId, reason, court, until, setAt FROM legal_hold WHERE caseId = ?`),
    dueClosed: sqlite.prepare(
      `SELECT id FROM case_file WHERE state = 'closed' AND closedAt IS NOT NULL AND closedAt <= @before
       AND id NOT IN (SELECT caseId FROM legal_hold WHERE until IS NULL OR until >= @today) ORDER BY closedAt LIMIT 500`,
    ),
    threads: sqlite.prepare(`SELECT id FROM referral WHERE caseId = ?`),
    threadMessages: sqlite.prepare(`SELECT sender, id FROM message WHERE thid = ? AND typ NOT LIKE 'corridor/consent/%' AND typ NOT LIKE 'corridor/message/%'`),
    redactMessage: sqlite.prepare(`UPDATE message SET body = @body, inner = X'' WHERE sender = @sender AND id = @id`),
    dropEnvelope: sqlite.prepare(`UPDATE inbox_item SET envelope = X'' WHERE sender = @sender AND id = @id AND state != 'stored'`),
  };
  const atomically = (fn: () => void) => inTransaction(sqlite, fn);

  /** the hold on a case, if one is in force today */
  function activeHold(caseId: string, nowMs: number): LegalHold | undefined {
    const hold = q.hold.get(caseId) as LegalHold | undefined;
    if (!hold) return undefined;
    if (hold.until !== null && hold.until < new Date(nowMs).toISOString().slice(0, 10)) return undefined;
    return hold;
  }

  /**
   * Purges one case and what the node kept of its messages. Returns what was done, or the
   * hold that keeps it. Idempotent: a case already purged reports nothing deleted.
   */
  function purge(caseId: string, reason: PurgeReason, nowMs: number): { purged: boolean; attachments: number; hold?: LegalHold } {
    const hold = activeHold(caseId, nowMs);
    if (hold) return { purged: false, attachments: 0, hold };
    const found = deps.cases.get(caseId);
    if (!found || found.state === 'purged') return { purged: false, attachments: 0 };
    let attachments = 0;
    atomically(() => {
      deps.cases.purge(caseId, reason, nowMs);
      const body = JSON.stringify({ purged: reason });
      for (const { id: thid } of q.threads.all(caseId) as { id: string }[]) {
        for (const m of q.threadMessages.all(thid) as { sender: string; id: string }[]) {
          q.redactMessage.run({ ...m, body });
          q.dropEnvelope.run(m);
        }
      }
      attachments = deps.deleteAttachments?.(caseId, nowMs) ?? 0;
    });
    purgeCheckpoint(sqlite); // the erased rows leave the WAL too (ADR 0014)
    deps.log.info('case purged', { case: caseId, reason });
    return { purged: true, attachments };
  }

  return {
    holds: {
      set(caseId: string, input: LegalHoldInput, nowMs: number): LegalHold {
        deps.cases.require(caseId);
        const hold: LegalHold = { caseId, reason: input.reason, court: input.court ?? null, until: input.until ?? null, setAt: nowMs };
        q.setHold.run(hold);
        return hold;
      },
      get: (caseId: string): LegalHold | undefined => q.hold.get(caseId) as LegalHold | undefined,
      active: activeHold,
    },
    purge,
    /** closed cases past the retention period: purged unless a legal hold keeps them */
    sweep(nowMs: number): number {
      let purged = 0;
      const due = q.dueClosed.all({ before: nowMs - deps.retentionDays * DAY_MS, today: new Date(nowMs).toISOString().slice(0, 10) }) as { id: string }[];
      for (const { id } of due) if (purge(id, 'retention', nowMs).purged) purged++;
      return purged;
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
