import { defineCommand } from 'citty';
import { type CliApp, connectionArgs, outputArgs } from './shared.js';

/** `corridor referral`: referrals sent and received, and each step of one (issue 6). */
export function referralCommand(app: CliApp) {
  const steps = () => import('./referral-steps.js');
  return defineCommand({
    meta: { name: 'referral', description: app.t('help.referral') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    subCommands: {
      list: () => import('./referral-show.js').then((m) => m.referralListCommand(app)),
      show: () => import('./referral-show.js').then((m) => m.referralShowCommand(app)),
      accept: () => steps().then((m) => m.referralAcceptCommand(app)),
      decline: () => steps().then((m) => m.referralDeclineCommand(app)),
      update: () => steps().then((m) => m.referralUpdateCommand(app)),
      onward: () => steps().then((m) => m.referralOnwardCommand(app)),
      revoke: () => steps().then((m) => m.referralRevokeCommand(app)),
      close: () => steps().then((m) => m.referralCloseCommand(app)),
    },
  });
}
