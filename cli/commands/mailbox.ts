import { defineCommand } from 'citty';
import { inbox, outbox } from '../actions/mailbox.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';

/** `corridor inbox` (offers waiting for an answer) and `corridor outbox` (what is not delivered). */

export function inboxCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'inbox', description: app.t('help.inbox') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      await withNode(app, args, (ctx) => inbox(ctx));
    },
  });
}

export function outboxCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'outbox', description: app.t('help.outbox') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 0);
      await withNode(app, args, (ctx) => outbox(ctx));
    },
  });
}
