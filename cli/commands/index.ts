import { defineCommand } from 'citty';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { type CliApp, outputArgs } from './shared.js';

/** `corridor`: the root command; each sub-command's file is loaded only when it is used. */
export function rootCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'corridor', version: PROTOCOL_VERSION, description: app.t('help.root') },
    args: { lang: outputArgs(app.t).lang },
    subCommands: {
      directory: () => import('./directory.js').then((m) => m.directoryCommand(app)),
      case: () => import('./case.js').then((m) => m.caseCommand(app)),
      consent: () => import('./consent.js').then((m) => m.consentCommand(app)),
      refer: () => import('./refer.js').then((m) => m.referCommand(app)),
      referral: () => import('./referral.js').then((m) => m.referralCommand(app)),
      handover: () => import('./handover.js').then((m) => m.handoverCommand(app)),
      inbox: () => import('./mailbox.js').then((m) => m.inboxCommand(app)),
      outbox: () => import('./mailbox.js').then((m) => m.outboxCommand(app)),
      demo: () => import('./demo.js').then((m) => m.demoCommand(app)),
      version: () => import('./version.js').then((m) => m.versionCommand(app)),
    },
  });
}
