import { type StatsQuery, type StatsReport, tripsApi } from '../api/trips.js';
import { EXIT } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import type { Translate } from '../i18n/index.js';
import type { Output } from '../output.js';
import type { ActionContext } from './context.js';
import { word } from './casework-words.js';

/**
 * `corridor stats`: the anonymous referral counts this node reports (docs/statistics.md), one
 * table per dimension with small counts suppressed by the node; or the node's CSV or JSON as it
 * gives it, on stdout or into a file written whole.
 */

export interface StatsOptions {
  query: StatsQuery;
  /** the node's own format; none: tables for people */
  format?: 'csv' | 'json' | undefined;
  file?: string | undefined;
}

export async function stats(ctx: ActionContext, options: StatsOptions): Promise<number> {
  const { client, out, t } = ctx;
  if (options.format === 'csv') {
    // the client must be made with `textAnswers` (cli/commands/stats.ts)
    const text = await tripsApi.statsCsv(client, options.query);
    if (options.file) return saved(ctx, options.file, text, 'CSV');
    // exactly the node's bytes: `line` adds back the final line end taken off here
    out.line(text.endsWith('\n') ? text.slice(0, -1) : text);
    return EXIT.ok;
  }
  const report = await tripsApi.stats(client, options.query);
  if (options.file) return saved(ctx, options.file, `${JSON.stringify(report, null, 2)}\n`, 'JSON');
  if (options.format === 'json' || out.json) out.data(report);
  else statsLines(out, t, report);
  return EXIT.ok;
}

async function saved({ out, t }: ActionContext, file: string, text: string, format: string): Promise<number> {
  await writeFileAtomic(file, text);
  const bytes = Buffer.byteLength(text);
  if (out.json) out.data({ file, bytes });
  else out.line(out.style('ok', t('stats.saved', { format, size: out.bytes(bytes), file })));
  return EXIT.ok;
}

/** the words of a dimension's values: directions, referral types, genders, outcomes; anything else as it is */
function valueWord(t: Translate, dimension: string, value: string): string {
  switch (dimension) {
    case 'direction':
      return word(t, 'direction', value);
    case 'referral-type':
      return word(t, 'purpose', value);
    case 'gender':
      return word(t, 'gender', value);
    case 'outcome': {
      const [state = value, detail] = value.split(':');
      return detail ? `${word(t, 'state', state)}: ${detail}` : word(t, 'state', state);
    }
    default:
      return value === 'unknown' ? t('stats.unknown') : value;
  }
}

const count = (out: Output, t: Translate, c: number | string) => (typeof c === 'number' ? out.number(c) : c === 'suppressed' ? t('stats.suppressed') : c);

function statsLines(out: Output, t: Translate, report: StatsReport): void {
  out.line(out.style('strong', t('stats.heading', { from: report.from, to: report.to, org: report.org, total: count(out, t, report.total) })));
  out.line(t('stats.note'));
  if (report.total === 0) {
    out.line(t('stats.none'));
    return;
  }
  for (const d of report.dimensions) {
    out.line();
    const title = word(t, 'stats.dim', d.name);
    if (d.withheld) {
      out.line(out.style('strong', title));
      out.line(out.style('warn', t('stats.withheld')));
      continue;
    }
    out.table(
      [title, t('stats.col.count')],
      d.cells.map((c) => [valueWord(t, d.name, c.value), count(out, t, c.count)]),
    );
  }
}
