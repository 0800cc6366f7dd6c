import { defineCommand } from 'citty';
import { ConsentGiver, DataCategory, Purpose, randomBytes, toBase64Url } from '../../protocol/index.js';
import { consentRecord } from '../actions/consent.js';
import type { ConsentInput } from '../api/casework.js';
import { UsageError } from '../errors.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';
import * as v from './values.js';

/**
 * `corridor consent record <caseId> --to … --purpose … --field … --expires … --given-by …
 * --method … --language … --jurisdiction … --staff …`, or `--from-file consent.json`.
 */

const RELATIONS = ['parent', 'appointed-guardian', 'legal-representative', 'social-services', 'other'] as const;

/** the data categories the fields belong to, when --category is not given */
export function categoriesOf(fields: string[]): DataCategory[] {
  const of = (f: string): DataCategory => {
    if (/^\/person\/(phone|email|address)/.test(f) || f.startsWith('/doNotContact')) return 'contact';
    if (/^\/person\/(languages|child|ageBand|gender)/.test(f)) return 'demographics';
    if (f.startsWith('/person')) return 'identity';
    if (f.startsWith('/needs')) return 'needs';
    if (f.startsWith('/riskAssessment')) return 'risk-assessment';
    if (/^\/(status|reflectionPeriod|compensationClaim)/.test(f)) return 'legal-status';
    return 'case-history';
  };
  return [...new Set(fields.map(of))];
}

export function consentRecordCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'record', description: t('help.consent.record') },
    args: {
      case: { type: 'positional', required: false, description: t('arg.caseId') },
      'from-file': { type: 'string', description: t('arg.consentFile'), valueHint: 'consent.json' },
      to: { type: 'string', description: t('arg.consentTo'), valueHint: 'org:astra' },
      purpose: { type: 'string', description: t('arg.purposes'), valueHint: 'referral' },
      field: { type: 'string', description: t('arg.field'), valueHint: '/person/givenName' },
      onward: { type: 'string', description: t('arg.onward'), valueHint: 'org:x' },
      expires: { type: 'string', description: t('arg.expires'), valueHint: 'YYYY-MM-DD' },
      'given-by': { type: 'string', description: t('arg.givenBy'), valueHint: ConsentGiver.options.join('|') },
      'guardian-relation': { type: 'string', description: t('arg.guardianRelation'), valueHint: 'parent' },
      method: { type: 'string', description: t('arg.method'), valueHint: 'written|verbal' },
      language: { type: 'string', description: t('arg.consentLanguage'), valueHint: 'sr' },
      interpreter: { type: 'boolean', description: t('arg.interpreter') },
      jurisdiction: { type: 'string', description: t('arg.jurisdiction'), valueHint: 'MK' },
      staff: { type: 'string', description: t('arg.staff'), valueHint: 'staff:og-7' },
      retention: { type: 'string', description: t('arg.retention'), valueHint: 'P1Y' },
      category: { type: 'string', description: t('arg.category'), valueHint: 'identity' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 1);
      const caseId = cv.id(args.case, 'CASE', app);
      const file = v.text(args['from-file'], '--from-file', 4096);
      if (file) {
        await withNode(app, args, (ctx) => consentRecord(ctx, { caseId, file }));
        return;
      }
      const recipients = cv.required(cv.orgs(rawArgs, 'to'), '--to', app);
      const purposes = cv.required(v.choices(v.repeated(rawArgs, 'purpose'), '--purpose', Purpose.options), '--purpose', app);
      const fields = cv.required(cv.fields(rawArgs, 'field'), '--field', app);
      const onward = cv.orgs(rawArgs, 'onward');
      const expires = cv.required(cv.date(args.expires, '--expires'), '--expires', app);
      const givenBy = cv.required(v.choice(args['given-by'], '--given-by', ConsentGiver.options), '--given-by', app);
      const relation = v.choice(args['guardian-relation'], '--guardian-relation', RELATIONS);
      if (givenBy !== 'data-subject' && !relation) throw new UsageError('usage.guardianNeeded', { command: app.path });
      const method = cv.required(v.choice(args.method, '--method', ['written', 'verbal'] as const), '--method', app);
      const language = cv.required(v.language(args.language, '--language'), '--language', app);
      const jurisdiction = cv.required(v.country(args.jurisdiction, '--jurisdiction'), '--jurisdiction', app);
      const staffRef = cv.required(cv.staff(args.staff, '--staff'), '--staff', app);
      const retention = cv.retention(args.retention, '--retention') ?? 'P1Y';
      const categories = v.choices(v.repeated(rawArgs, 'category'), '--category', DataCategory.options) ?? categoriesOf(fields);
      const input: ConsentInput = {
        given: {
          method,
          language,
          interpreterPresent: args.interpreter === true,
          givenBy,
          // who consented for the child: a pseudonymous reference, never a name
          ...(givenBy !== 'data-subject' && relation ? { guardian: { ref: toBase64Url(randomBytes(16)), relation } } : {}),
          at: Math.floor(Date.now() / 1000),
        },
        processing: [{ purposes, recipients, categories, fields, onwardSharing: { allowed: onward.length > 0, to: onward }, retention }],
        jurisdiction,
        expires: cv.daySeconds(expires),
        staffRef,
      };
      await withNode(app, args, (ctx) => consentRecord(ctx, { caseId, input }));
    },
  });
}
