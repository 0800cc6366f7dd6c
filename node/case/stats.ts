import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { ProtocolError } from '../../protocol/index.js';

/**
 * Anonymous, aggregated counts of referrals: what may leave a node for reporting (DESIGN 6).
 * Read from the referral table only (its offer holds no identifying data), counted one way per
 * dimension, with small counts suppressed. docs/statistics.md defines every count and the rule.
 *
 * Suppression, per dimension (every dimension partitions the same referrals, so its exact total
 * is known to any reader whenever one dimension shows all its cells: rounding the totals would
 * not protect anything):
 * 1. a count from 1 to 4 is shown as "<5" (primary suppression);
 * 2. while a suppressed count could still be worked out exactly from the total (the reader knows
 *    "<5" is 1–4 and a complementary cell is at least 5), the smallest shown count is suppressed
 *    too, shown as "suppressed" (complementary suppression);
 * 3. if that is not enough even with every count suppressed, the whole dimension is withheld.
 * A total below 5 is itself shown as "<5", and so is every cell under it.
 */

export const SUPPRESS_BELOW = 5;
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
export const StatsQuery = z.strictObject({ from: Month.optional(), to: Month.optional(), format: z.enum(['json', 'csv']).optional() });
export type StatsQuery = z.infer<typeof StatsQuery>;

export type Count = number | '<5' | 'suppressed';
export interface Dimension {
  name: string;
  withheld: boolean;
  cells: { value: string; count: Count }[];
}
export interface StatsReport {
  from: string;
  to: string;
  org: string;
  total: number | '<5';
  rule: string;
  dimensions: Dimension[];
}

export const DIMENSIONS = ['month', 'direction', 'country-pair', 'referral-type', 'outcome', 'gender', 'age-band'] as const;
const RULE = 'counts of 1-4 shown as "<5"; complementary cells suppressed ("suppressed") so that no suppressed count can be derived from the total; a dimension that cannot be protected is withheld';

interface Row {
  direction: string;
  purpose: string;
  state: string;
  reason: string | null;
  outcome: string | null;
  peerOrg: string;
  offer: string;
  createdAt: number;
}

export interface StatsDeps {
  sqlite: Database.Database;
  self: { org: string };
  /** the country an organisation is based in (its directory entry), if known */
  countryOf: (org: string) => string | undefined;
}

/** Is every suppressed cell's exact value hidden? primaries are 1–4, complements at least 5. */
function protectedCells(primary: number[], complement: number[]): boolean {
  const k = primary.length;
  const m = complement.length;
  const sum = [...primary, ...complement].reduce((a, b) => a + b, 0);
  if (m === 0) return k >= 2 && sum > k && sum < 4 * k;
  // every cell keeps at least two possible values iff the sum exceeds its minimum by one or more
  return sum >= k + SUPPRESS_BELOW * m + 1;
}

export function suppress(name: string, counts: Map<string, number>, total: number): Dimension {
  const entries = [...counts.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (total < SUPPRESS_BELOW) return { name, withheld: false, cells: entries.map(([value]) => ({ value, count: '<5' as const })) };
  const primary = entries.filter(([, n]) => n < SUPPRESS_BELOW);
  const shown = entries.filter(([, n]) => n >= SUPPRESS_BELOW).sort(([, a], [, b]) => a - b);
  const complement: [string, number][] = [];
  if (primary.length > 0) {
    while (!protectedCells(primary.map(([, n]) => n), complement.map(([, n]) => n))) {
      const next = shown.shift();
      if (!next) return { name, withheld: true, cells: [] };
      complement.push(next);
    }
  }
  const hidden = new Set(complement.map(([v]) => v));
  const cells = entries.map(([value, n]) => ({ value, count: (n < SUPPRESS_BELOW ? '<5' : hidden.has(value) ? 'suppressed' : n) as Count }));
  return { name, withheld: false, cells };
}

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const startOf = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
const endOf = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);

export function createStats(deps: StatsDeps) {
  const inRange = deps.sqlite.prepare(`SELECT direction, purpose, state, reason, outcome, peerOrg, offer, createdAt FROM referral WHERE createdAt >= ? AND createdAt < ?`);

  /** the outcome a referral has now: its state, with the decline or revoke reason or the close outcome */
  const outcomeOf = (r: Row) => (r.state === 'declined' || r.state === 'revoked' ? `${r.state}:${r.reason ?? 'unknown'}` : r.state === 'closed' ? `closed:${r.outcome ?? 'unknown'}` : r.state);

  function report(query: { from?: string; to?: string }, nowMs: number): StatsReport {
    const to = query.to ?? monthOf(nowMs);
    const from = query.from ?? monthOf(Date.UTC(new Date(nowMs).getUTCFullYear(), new Date(nowMs).getUTCMonth() - 11, 1));
    if (from > to) throw new ProtocolError('InvalidRequest', 'from is after to', { issues: [{ path: 'from', problem: 'after_to' }] });
    const ownCountry = deps.countryOf(deps.self.org) ?? 'unknown';
    const counts = new Map<string, Map<string, number>>(DIMENSIONS.map((d) => [d, new Map()]));
    const add = (dim: string, value: string) => {
      const m = counts.get(dim) as Map<string, number>;
      m.set(value, (m.get(value) ?? 0) + 1);
    };
    const rows = inRange.all(startOf(from), endOf(to)) as Row[];
    for (const r of rows) {
      const offer = JSON.parse(r.offer) as { gender?: string; ageBand?: string; currentCountry?: string; destinationCountry?: string };
      // from where the person is to where the referral takes them: the destination named, or the receiving organisation's country
      const receiving = r.direction === 'outgoing' ? (deps.countryOf(r.peerOrg) ?? 'unknown') : ownCountry;
      add('month', monthOf(r.createdAt));
      add('direction', r.direction);
      add('country-pair', `${offer.currentCountry ?? 'unknown'}-${offer.destinationCountry ?? receiving}`);
      add('referral-type', r.purpose);
      add('outcome', outcomeOf(r));
      add('gender', offer.gender ?? 'unknown');
      add('age-band', offer.ageBand ?? 'unknown');
    }
    const total = rows.length;
    return {
      from,
      to,
      org: deps.self.org,
      total: total < SUPPRESS_BELOW && total > 0 ? '<5' : total,
      rule: RULE,
      dimensions: DIMENSIONS.map((d) => suppress(d, counts.get(d) as Map<string, number>, total)),
    };
  }

  return { report, csv: toCsv };
}

/** RFC 4180: a header row, CRLF line ends, fields with a comma, quote or line break quoted. */
export function toCsv(report: StatsReport): string {
  const field = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [['from', 'to', 'org', 'dimension', 'value', 'count']];
  lines.push([report.from, report.to, report.org, 'total', 'all', String(report.total)]);
  for (const d of report.dimensions) {
    if (d.withheld) lines.push([report.from, report.to, report.org, d.name, '(withheld)', 'suppressed']);
    for (const c of d.cells) lines.push([report.from, report.to, report.org, d.name, c.value, String(c.count)]);
  }
  return `${lines.map((l) => l.map(field).join(',')).join('\r\n')}\r\n`;
}

export type Stats = ReturnType<typeof createStats>;
