import { defineCommand } from 'citty';
import { referralStep } from '../actions/referral.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';

/**
 * `corridor handover <referralId> [--field /person/givenName …]`: the case goes to the
 * organisation that accepted, projected through the consent (all it allows, or only the fields
 * named); the disclosure ledger records what left.
 */
export function handoverCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'handover', description: t('help.handover') },
    args: {
      referral: { type: 'positional', required: false, description: t('arg.referralId') },
      field: { type: 'string', description: t('arg.handoverField'), valueHint: '/person/givenName' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 1);
      const referralId = cv.id(args.referral, 'REFERRAL', app);
      const fields = cv.fields(rawArgs, 'field');
      await withNode(app, args, (ctx) => referralStep(ctx, referralId, 'handover', fields.length > 0 ? { fields } : {}));
    },
  });
}
