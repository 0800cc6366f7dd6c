import { defineCommand } from 'citty';
import { type CliApp, connectionArgs, outputArgs } from './shared.js';

/** `corridor case`: the cases of the people the organisation assists (issue 6). */
export function caseCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'case', description: app.t('help.case') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    subCommands: {
      create: () => import('./case-edit.js').then((m) => m.caseCreateCommand(app)),
      list: () => import('./case-show.js').then((m) => m.caseListCommand(app)),
      show: () => import('./case-show.js').then((m) => m.caseShowCommand(app)),
      update: () => import('./case-edit.js').then((m) => m.caseUpdateCommand(app)),
      assign: () => import('./case-assign.js').then((m) => m.caseAssignCommand(app)),
    },
  });
}
