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
      trip: () => import('./trip.js').then((m) => m.tripCommand(app)),
      stats: () => import('./stats.js').then((m) => m.statsCommand(app)),
      inbox: () => import('./mailbox.js').then((m) => m.inboxCommand(app)),
      outbox: () => import('./mailbox.js').then((m) => m.outboxCommand(app)),
      init: () => import('./init.js').then((m) => m.initCommand(app)),
      anchor: () => import('./anchor.js').then((m) => m.anchorCommand(app)),
      serve: () => import('./serve.js').then((m) => m.serveCommand(app)),
      status: () => import('./status.js').then((m) => m.statusCommand(app)),
      keys: () => import('./keys.js').then((m) => m.keysCommand(app)),
      audit: () => import('./audit.js').then((m) => m.auditCommand(app)),
      login: () => import('./session.js').then((m) => m.loginCommand(app)),
      logout: () => import('./session.js').then((m) => m.logoutCommand(app)),
      whoami: () => import('./session.js').then((m) => m.whoamiCommand(app)),
      account: () => import('./account.js').then((m) => m.accountCommand(app)),
      backup: () => import('./backup.js').then((m) => m.backupCommand(app)),
      restore: () => import('./backup.js').then((m) => m.restoreCommand(app)),
      demo: () => import('./demo.js').then((m) => m.demoCommand(app)),
      version: () => import('./version.js').then((m) => m.versionCommand(app)),
    },
  });
}
