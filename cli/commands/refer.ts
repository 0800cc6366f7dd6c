import { defineCommand } from 'citty';
import { Need, Purpose, Urgency } from '../../protocol/index.js';
import { refer } from '../actions/referral.js';
import type { OnwardInput } from '../api/casework.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';
import * as v from './values.js';

/**
 * `corridor refer <caseId> --to org:astra --consent <id> --purpose referral --need shelter
 * --urgency urgent --country MK [--destination RS] [--summary …] --contact-name …`. The offer is
 * not identifying; the same flags (without case and consent) make an onward referral.
 */

export function offerArgs(t: CliApp['t']) {
  return {
    to: { type: 'string', description: t('arg.referTo'), valueHint: 'org:astra' },
    purpose: { type: 'string', description: t('arg.referPurpose'), valueHint: 'referral' },
    need: { type: 'string', description: t('arg.need'), valueHint: 'shelter' },
    urgency: { type: 'string', description: t('arg.urgency'), valueHint: Urgency.options.join('|') },
    country: { type: 'string', description: t('arg.currentCountry'), valueHint: 'MK' },
    destination: { type: 'string', description: t('arg.destination'), valueHint: 'RS' },
    summary: { type: 'string', description: t('arg.summary'), valueHint: 'text' },
    'respond-by': { type: 'string', description: t('arg.respondBy'), valueHint: 'YYYY-MM-DD' },
    ...cv.contactArgs(t),
  } as const;
}

interface OfferFlags {
  to?: string | undefined;
  purpose?: string | undefined;
  urgency?: string | undefined;
  country?: string | undefined;
  destination?: string | undefined;
  summary?: string | undefined;
  'respond-by'?: string | undefined;
  'contact-name'?: string | undefined;
  'contact-role'?: string | undefined;
  'contact-phone'?: string | undefined;
  'contact-email'?: string | undefined;
}

export function offerFrom(app: CliApp, args: OfferFlags, rawArgs: readonly string[]): OnwardInput {
  const to = cv.required(cv.orgOption(args.to, '--to'), '--to', app);
  const purpose = cv.required(v.choice(args.purpose, '--purpose', Purpose.options), '--purpose', app);
  const needs = cv.required(v.choices(v.repeated(rawArgs, 'need'), '--need', Need.options), '--need', app);
  const urgency = cv.required(v.choice(args.urgency, '--urgency', Urgency.options), '--urgency', app);
  const currentCountry = cv.required(v.country(args.country, '--country'), '--country', app);
  const destinationCountry = v.country(args.destination, '--destination');
  const summary = v.text(args.summary, '--summary', 1000);
  const respondBy = cv.date(args['respond-by'], '--respond-by');
  const contact = cv.contact(args, app);
  return {
    to,
    purpose,
    needs,
    urgency,
    currentCountry,
    ...(destinationCountry ? { destinationCountry } : {}),
    ...(summary ? { summary } : {}),
    ...(respondBy ? { respondBy: cv.daySeconds(respondBy) } : {}),
    contact,
  };
}

export function referCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'refer', description: t('help.refer') },
    args: {
      case: { type: 'positional', required: false, description: t('arg.caseId') },
      consent: { type: 'string', description: t('arg.consent'), valueHint: 'id' },
      ...offerArgs(t),
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 1);
      const caseId = cv.id(args.case, 'CASE', app);
      const consentId = cv.id(cv.required(args.consent, '--consent', app), '--consent', app);
      const offer = offerFrom(app, args, rawArgs);
      await withNode(app, args, (ctx) => refer(ctx, { caseId, consentId, ...offer }));
    },
  });
}
