import { defineCommand } from 'citty';
import { stats } from '../actions/stats.js';
import { textAnswers } from '../api/trips.js';
import { UsageError } from '../errors.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as v from './values.js';

/**
 * `corridor stats [--from YYYY-MM] [--to YYYY-MM] [--format csv|json] [--out file]`: the
 * anonymous referral counts of docs/statistics.md. `--out` without `--format` writes CSV.
 */

function month(value: string | undefined, option: string): string | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined) return undefined;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(trimmed)) throw new UsageError('usage.badMonth', { option });
  return trimmed;
}

export function statsCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'stats', description: t('help.stats') },
    args: {
      from: { type: 'string', description: t('arg.statsFrom'), valueHint: 'YYYY-MM' },
      to: { type: 'string', description: t('arg.statsTo'), valueHint: 'YYYY-MM' },
      format: { type: 'string', description: t('arg.statsFormat'), valueHint: 'csv|json' },
      out: { type: 'string', description: t('arg.out'), valueHint: 'file' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      const from = month(args.from, '--from');
      const to = month(args.to, '--to');
      if (from && to && from > to) throw new UsageError('usage.monthsOrder');
      const file = v.text(args.out, '--out', 4096);
      const format = v.choice(args.format, '--format', ['csv', 'json'] as const) ?? (file ? 'csv' : undefined);
      // the node's CSV is text: this client reads it as it comes (cli/api/trips.ts)
      const inner: CliApp = { ...app, fetch: textAnswers(app.fetch ?? globalThis.fetch) };
      await withNode(inner, args, (ctx) => stats(ctx, { query: { from, to }, format, file }));
      app.exitCode = inner.exitCode;
    },
  });
}
