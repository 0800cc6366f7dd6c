import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { CasePerson, HandoverCase, ProtocolError, RiskToLife, SEALED_CASE_VALUE_PREFIX, newId, randomBytes, toBase64Url } from '../../protocol/index.js';
import type { CaseKeys } from './case-keys.js';

/**
 * Cases, local to this node. The case data has the shape of the protocol's HandoverCase (so
 * projecting it through a consent is a matter of keeping fields), refused on unknown keys at
 * every level the case worker writes. A purge empties the data and keeps the row (ids only), so
 * referrals, the disclosure ledger and statistics stay consistent after it.
 * The data is sealed with the case's own key (case-keys.ts, ADR 0014 step C) on every write and
 * opened on every read; a purge also deletes that key, in the same transaction.
 */

/** The case: HandoverCase's fields, plus the risk-to-life block (never projected: it travels on its own basis). */
export const CaseData = HandoverCase.extend({ person: CasePerson.strict().optional(), riskToLife: RiskToLife.optional() }).strict();
export type CaseData = z.infer<typeof CaseData>;

export interface CaseRow {
  id: string;
  subjectRef: string;
  state: 'open' | 'closed' | 'purged';
  origin: 'local' | 'received';
  data: CaseData | null;
  consentId: string | null;
  referralId: string | null;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  purgedAt: number | null;
  purgeReason: string | null;
}

/** a case_file row with its case key's wrapped bytes joined (`caseKeyWrapped`, never returned) */
type Raw = Omit<CaseRow, 'data'> & { data: string | null; caseKeyWrapped: Buffer | null };
const SELECT = `SELECT c.*, k.wrapped AS caseKeyWrapped FROM case_file c LEFT JOIN case_key k ON k.caseId = c.id`;

export function createCases(sqlite: Database.Database, keys: CaseKeys) {
  const q = {
    insert: sqlite.prepare(
      `INSERT INTO case_file (id, subjectRef, state, origin, data, consentId, referralId, createdAt, updatedAt) VALUES (@id, @subjectRef, 'open', @origin, @data, @consentId, @referralId, @now, @now)`,
    ),
    get: sqlite.prepare(`${SELECT} WHERE c.id = ?`),
    list: sqlite.prepare(`${SELECT} WHERE c.state != 'purged' ORDER BY c.updatedAt DESC LIMIT ? OFFSET ?`),
    setData: sqlite.prepare(`UPDATE case_file SET data = @data, updatedAt = @now WHERE id = @id AND state != 'purged'`),
    close: sqlite.prepare(`UPDATE case_file SET state = 'closed', closedAt = @now, updatedAt = @now WHERE id = @id AND state = 'open'`),
    purge: sqlite.prepare(`UPDATE case_file SET data = NULL, state = 'purged', purgedAt = @now, purgeReason = @reason, updatedAt = @now WHERE id = @id AND state != 'purged'`),
    byConsent: sqlite.prepare(`SELECT id FROM case_file WHERE consentId = ? AND state != 'purged'`),
    unsealed: sqlite.prepare(`SELECT id, data FROM case_file WHERE data IS NOT NULL AND substr(data, 1, ${SEALED_CASE_VALUE_PREFIX.length}) != '${SEALED_CASE_VALUE_PREFIX}'`),
    reseal: sqlite.prepare(`UPDATE case_file SET data = @data WHERE id = @id`),
  };
  const seal = (id: string, data: CaseData) => keys.sealText(id, JSON.stringify(data));
  const row = (raw: Raw | undefined): CaseRow | undefined => {
    if (!raw) return undefined;
    const { caseKeyWrapped, ...rest } = raw;
    return { ...rest, data: raw.data === null ? null : (JSON.parse(keys.openText(raw.id, raw.data, 'data', caseKeyWrapped)) as CaseData) };
  };

  // a database of a version before per-case keys: its cases are sealed now, all or none
  const legacy = q.unsealed.all() as { id: string; data: string }[];
  if (legacy.length > 0) sqlite.transaction(() => legacy.forEach((r) => q.reseal.run({ id: r.id, data: keys.sealText(r.id, r.data) })))();

  return {
    /** a new case opened here; returns its id and pseudonymous subject reference */
    open(data: CaseData, nowMs: number, received?: { consentId: string; referralId: string }): { id: string; subjectRef: string } {
      const id = newId(nowMs);
      const subjectRef = toBase64Url(randomBytes(16));
      q.insert.run({ id, subjectRef, origin: received ? 'received' : 'local', data: seal(id, data), consentId: received?.consentId ?? null, referralId: received?.referralId ?? null, now: nowMs });
      return { id, subjectRef };
    },
    get: (id: string): CaseRow | undefined => row(q.get.get(id) as Raw | undefined),
    /** the case, or NotFound (no id echoed beyond the one asked for) */
    require(id: string): CaseRow {
      const found = row(q.get.get(id) as Raw | undefined);
      if (!found) throw new ProtocolError('NotFound', 'no such case');
      return found;
    },
    list: (limit: number, offset: number): CaseRow[] => (q.list.all(limit, offset) as Raw[]).map((r) => row(r) as CaseRow),
    /** merges a change: blocks replace, the person's fields merge one by one */
    update(id: string, change: CaseData, nowMs: number): CaseData {
      const current = this.require(id);
      if (current.state === 'purged' || current.data === null) throw new ProtocolError('NotFound', 'the case was purged');
      const merged: CaseData = { ...current.data, ...change, ...(change.person ? { person: { ...current.data.person, ...change.person } } : {}) };
      q.setData.run({ id, data: seal(id, merged), now: nowMs });
      return merged;
    },
    close(id: string, nowMs: number): void {
      this.require(id);
      q.close.run({ id, now: nowMs });
    },
    /** empties the case and deletes its key (crypto-shredding): run it inside the purge's transaction */
    purge(id: string, reason: 'retention' | 'consent-withdrawn' | 'consent-expired', nowMs: number): void {
      q.purge.run({ id, reason, now: nowMs });
      keys.shred(id);
    },
    receivedUnder: (consentId: string): string[] => (q.byConsent.all(consentId) as { id: string }[]).map((r) => r.id),
  };
}

export type Cases = ReturnType<typeof createCases>;
