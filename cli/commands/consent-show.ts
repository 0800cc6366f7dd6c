import { defineCommand } from 'citty';
import { ConsentGiver } from '../../protocol/index.js';
import { consentShow, consentWithdraw } from '../actions/consent.js';
import { WITHDRAW_REASONS } from '../api/casework.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';
import * as v from './values.js';

/** `corridor consent show <id>` and `corridor consent withdraw <id> --by … [--reason …]`. */

export function consentShowCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'show', description: app.t('help.consent.show') },
    args: { id: { type: 'positional', required: false, description: app.t('arg.consentId') }, ...connectionArgs(app.t), ...outputArgs(app.t) },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const consentId = cv.id(args.id, 'CONSENT', app);
      await withNode(app, args, (ctx) => consentShow(ctx, consentId));
    },
  });
}

const BY = ConsentGiver.options;

export function consentWithdrawCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'withdraw', description: t('help.consent.withdraw') },
    args: {
      id: { type: 'positional', required: false, description: t('arg.consentId') },
      by: { type: 'string', description: t('arg.withdrawnBy'), valueHint: BY.join('|') },
      reason: { type: 'string', description: t('arg.withdrawReason'), valueHint: WITHDRAW_REASONS.join('|') },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const consentId = cv.id(args.id, 'CONSENT', app);
      const by = cv.required(v.choice(args.by, '--by', BY), '--by', app);
      const reason = v.choice(args.reason, '--reason', WITHDRAW_REASONS);
      await withNode(app, args, (ctx) => consentWithdraw(ctx, consentId, { by, ...(reason ? { reason } : {}) }));
    },
  });
}
