import { defineCommand } from 'citty';
import { caseList, caseShow } from '../actions/case.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';

/** `corridor case list` and `corridor case show <id>`. */

export function caseListCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'list', description: app.t('help.case.list') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      await withNode(app, args, (ctx) => caseList(ctx));
    },
  });
}

export function caseShowCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'show', description: app.t('help.case.show') },
    args: { id: { type: 'positional', required: false, description: app.t('arg.caseId') }, ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const caseId = cv.id(args.id, 'CASE', app);
      await withNode(app, args, (ctx) => caseShow(ctx, caseId));
    },
  });
}
