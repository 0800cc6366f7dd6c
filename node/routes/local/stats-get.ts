import type { Hono } from 'hono';
import { ProtocolError, parseWith } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { StatsQuery } from '../../case/stats.js';

/**
 * `GET /api/v1/stats?from=YYYY-MM&to=YYYY-MM&format=json|csv`: anonymous referral counts by
 * month, direction, country pair, referral type, outcome, gender and age band, with small counts
 * suppressed (docs/statistics.md). The default period is the last twelve months.
 */
export function mountStatsGet(app: Hono, ctx: NodeContext): void {
  app.get('/api/v1/stats', (c) => {
    const parsed = parseWith(StatsQuery, c.req.query());
    if (!parsed.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: parsed.issues ?? [] });
    const { stats } = ctx.casework;
    const report = stats.report(parsed.value, ctx.clock.now());
    if (parsed.value.format === 'csv') {
      return c.body(stats.csv(report), 200, { 'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': `attachment; filename="corridor-stats-${report.from}-${report.to}.csv"` });
    }
    return c.json(report);
  });
}
