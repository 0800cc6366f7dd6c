import { defineCommand } from 'citty';
import { caseAssign } from '../actions/account.js';
import { UsageError } from '../errors.js';
import { refusing } from '../operator.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';

/** `corridor case assign <case> [--to <account>] [--team <team>]`: a coordinator gives a case to a case worker and/or a team; `-` takes it away. */
export function caseAssignCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'assign', description: app.t('help.case.assign') },
    args: {
      id: { type: 'positional', required: false, description: app.t('arg.caseId') },
      to: { type: 'string', description: app.t('arg.assign.to'), valueHint: 'account' },
      team: { type: 'string', description: app.t('arg.assign.team'), valueHint: 'team' },
      ...connectionArgs(app.t),
      ...outputArgs(app.t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const caseId = cv.id(args.id, 'CASE', app);
      if (!args.to && !args.team) throw new UsageError('case.assignWhat');
      await refusing(app, args.json === true, async () => {
        await withNode(app, args, (ctx) => caseAssign(ctx, caseId, { to: args.to || undefined, team: args.team || undefined }));
        return app.exitCode;
      });
    },
  });
}
