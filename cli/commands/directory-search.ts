import { defineCommand } from 'citty';
import { SERVED_GROUPS, SERVICE_TYPES } from '../../protocol/index.js';
import { directorySearch } from '../actions/directory-search.js';
import type { SearchQuery } from '../api/directory.js';
import { type CliApp, connectionArgs, outputArgs, withNode } from './shared.js';
import * as v from './values.js';

export function directorySearchCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'search', description: t('help.directory.search') },
    args: {
      text: { type: 'positional', required: false, description: t('arg.text') },
      country: { type: 'string', description: t('arg.country'), valueHint: 'RS' },
      city: { type: 'string', description: t('arg.city'), valueHint: 'Wien' },
      type: { type: 'string', description: t('arg.type'), valueHint: 'legal_aid' },
      language: { type: 'string', description: t('arg.language'), valueHint: 'sr' },
      served: { type: 'string', description: t('arg.served'), valueHint: 'women' },
      licensed: { type: 'boolean', description: t('arg.licensed') },
      hotline: { type: 'boolean', description: t('arg.hotline') },
      route: { type: 'string', description: t('arg.route'), valueHint: 'GR,MK,RS' },
      page: { type: 'string', description: t('arg.page'), valueHint: '1' },
      'per-page': { type: 'string', description: t('arg.perPage'), valueHint: '20' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args }) {
      // unquoted words are one search text: `search legal aid Wien`
      const words = args._.length > 0 ? args._.join(' ') : undefined;
      const query: SearchQuery = {
        q: v.text(words, 'TEXT', 200),
        country: v.country(args.country, '--country'),
        city: v.text(args.city, '--city', 100),
        type: v.choice(args.type, '--type', SERVICE_TYPES),
        language: v.language(args.language, '--language'),
        served: v.choice(args.served, '--served', SERVED_GROUPS),
        licensed: args.licensed === true,
        hotline: args.hotline === true,
        route: v.route(args.route, '--route'),
        page: v.wholeNumber(args.page, '--page', 1, 10_000),
        perPage: v.wholeNumber(args['per-page'], '--per-page', 1, 100),
      };
      await withNode(app, args, (ctx) => directorySearch(ctx, query));
    },
  });
}
