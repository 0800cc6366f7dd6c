import { defineCommand } from 'citty';
import { type CliApp, connectionArgs, outputArgs } from './shared.js';

/** `corridor consent`: the person's consent to share their data: record, show, withdraw (issue 6). */
export function consentCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'consent', description: app.t('help.consent') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    subCommands: {
      record: () => import('./consent-record.js').then((m) => m.consentRecordCommand(app)),
      show: () => import('./consent-show.js').then((m) => m.consentShowCommand(app)),
      withdraw: () => import('./consent-show.js').then((m) => m.consentWithdrawCommand(app)),
    },
  });
}
