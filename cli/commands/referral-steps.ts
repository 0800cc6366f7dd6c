import { defineCommand } from 'citty';
import { CloseOutcome, DeclineReason, ReferralProgress, RevokeReason } from '../../protocol/index.js';
import { referOnward, referralStep } from '../actions/referral.js';
import { UsageError } from '../errors.js';
import { offerArgs, offerFrom } from './refer.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';
import * as v from './values.js';

/**
 * The steps of a referral: the receiving side accepts (naming its contact person) or declines;
 * the referring side revokes; either side sends news and closes; a received case goes onward.
 */

const idArg = (app: CliApp) => ({ id: { type: 'positional', required: false, description: app.t('arg.referralId') } }) as const;
const noteArg = (app: CliApp) => ({ note: { type: 'string', description: app.t('arg.referralNote'), valueHint: 'text' } }) as const;

export function referralAcceptCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'accept', description: t('help.referral.accept') },
    args: { ...idArg(app), ...cv.contactArgs(t), ...noteArg(app), ...connectionArgs(t), ...outputArgs(t) },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const referralId = cv.id(args.id, 'REFERRAL', app);
      const contact = cv.contact(args, app);
      const note = v.text(args.note, '--note', 1000);
      await withNode(app, args, (ctx) => referralStep(ctx, referralId, 'accept', { contact, ...(note ? { note } : {}) }));
    },
  });
}

/** decline, revoke, close: one reason (or outcome) from a list, and an optional note */
function reasonCommand(app: CliApp, step: 'decline' | 'revoke' | 'close', option: 'reason' | 'outcome', allowed: readonly string[]) {
  const { t } = app;
  return defineCommand({
    meta: { name: step, description: t(`help.referral.${step}`) },
    args: {
      ...idArg(app),
      [option]: { type: 'string', description: t(option === 'outcome' ? 'arg.outcome' : 'arg.reason'), valueHint: allowed.join('|') },
      ...noteArg(app),
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args }) {
      noExtraWords(app, args._, 1);
      const referralId = cv.id(args.id as string | undefined, 'REFERRAL', app);
      const value = cv.required(v.choice(args[option] as string | undefined, `--${option}`, allowed), `--${option}`, app);
      const note = v.text(args.note as string | undefined, '--note', 1000);
      await withNode(app, args, (ctx) => referralStep(ctx, referralId, step, { [option]: value, ...(note ? { note } : {}) }));
    },
  });
}

export const referralDeclineCommand = (app: CliApp) => reasonCommand(app, 'decline', 'reason', DeclineReason.options);
export const referralRevokeCommand = (app: CliApp) => reasonCommand(app, 'revoke', 'reason', RevokeReason.options);
export const referralCloseCommand = (app: CliApp) => reasonCommand(app, 'close', 'outcome', CloseOutcome.options);

export function referralUpdateCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'update', description: t('help.referral.update') },
    args: {
      ...idArg(app),
      status: { type: 'string', description: t('arg.progress'), valueHint: 'person-arrived' },
      note: { type: 'string', description: t('arg.referralNote'), valueHint: 'text' },
      field: { type: 'string', description: t('arg.updateField'), valueHint: '/needs' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 1);
      const referralId = cv.id(args.id, 'REFERRAL', app);
      const status = v.choice(args.status, '--status', ReferralProgress.options);
      const note = v.text(args.note, '--note', 5000);
      const fields = cv.fields(rawArgs, 'field');
      if (!status && !note && fields.length === 0) throw new UsageError('usage.nothingToChange', { command: app.path });
      const input = { ...(status ? { status } : {}), ...(note ? { note } : {}), ...(fields.length > 0 ? { fields } : {}) };
      await withNode(app, args, (ctx) => referralStep(ctx, referralId, 'update', input));
    },
  });
}

export function referralOnwardCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'onward', description: t('help.referral.onward') },
    args: { ...idArg(app), ...offerArgs(t), ...connectionArgs(t), ...outputArgs(t) },
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 1);
      const referralId = cv.id(args.id, 'REFERRAL', app);
      const offer = offerFrom(app, args, rawArgs);
      await withNode(app, args, (ctx) => referOnward(ctx, referralId, offer));
    },
  });
}
