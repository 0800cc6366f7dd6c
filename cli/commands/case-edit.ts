import { defineCommand } from 'citty';
import { AgeBand, Gender, Need } from '../../protocol/index.js';
import { caseCreate, caseUpdate } from '../actions/case.js';
import type { CaseInput } from '../api/casework.js';
import { UsageError } from '../errors.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as cv from './casework-values.js';
import * as v from './values.js';

/** `corridor case create` and `corridor case update <id>`: the same flags, or a JSON file. */

function caseArgs(t: CliApp['t']) {
  return {
    'from-file': { type: 'string', description: t('arg.caseFile'), valueHint: 'case.json' },
    'given-name': { type: 'string', description: t('arg.givenName'), valueHint: 'name' },
    'family-name': { type: 'string', description: t('arg.familyName'), valueHint: 'name' },
    'birth-date': { type: 'string', description: t('arg.birthDate'), valueHint: 'YYYY-MM-DD' },
    'age-band': { type: 'string', description: t('arg.ageBand'), valueHint: '18-25' },
    gender: { type: 'string', description: t('arg.gender'), valueHint: 'female' },
    nationality: { type: 'string', description: t('arg.nationality'), valueHint: 'RS' },
    language: { type: 'string', description: t('arg.personLanguage'), valueHint: 'sr' },
    phone: { type: 'string', description: t('arg.phone'), valueHint: 'phone' },
    child: { type: 'boolean', description: t('arg.child') },
    need: { type: 'string', description: t('arg.need'), valueHint: 'shelter' },
    status: { type: 'string', description: t('arg.victimStatus'), valueHint: 'presumed|identified' },
    note: { type: 'string', description: t('arg.caseNote'), valueHint: 'text' },
    ...connectionArgs(t),
    ...outputArgs(t),
  } as const;
}

interface CaseFlags {
  'from-file'?: string | undefined;
  'given-name'?: string | undefined;
  'family-name'?: string | undefined;
  'birth-date'?: string | undefined;
  'age-band'?: string | undefined;
  gender?: string | undefined;
  phone?: string | undefined;
  child?: boolean | undefined;
  status?: string | undefined;
  note?: string | undefined;
}

/** the case as the flags give it; each value checked, none echoed in an error */
function caseFlags(args: CaseFlags, rawArgs: readonly string[]): CaseInput {
  const person: NonNullable<CaseInput['person']> = {};
  const given = v.text(args['given-name'], '--given-name', 200);
  const family = v.text(args['family-name'], '--family-name', 200);
  const born = cv.date(args['birth-date'], '--birth-date');
  const ageBand = v.choice(args['age-band'], '--age-band', AgeBand.options);
  const gender = v.choice(args.gender, '--gender', Gender.options);
  const nationality = cv.countries(rawArgs, 'nationality');
  const languages = cv.languages(rawArgs, 'language');
  const phone = cv.phone(args.phone, '--phone');
  if (given) person.givenName = given;
  if (family) person.familyName = family;
  if (born) person.dateOfBirth = born;
  if (ageBand) person.ageBand = ageBand;
  if (gender) person.gender = gender;
  if (nationality.length > 0) person.nationality = nationality;
  if (languages.length > 0) person.languages = languages;
  if (phone) person.phone = phone;
  if (typeof args.child === 'boolean') person.child = args.child;
  const needs = v.choices(v.repeated(rawArgs, 'need'), '--need', Need.options);
  const status = v.choice(args.status, '--status', ['presumed', 'identified'] as const);
  const notes = v.text(args.note, '--note', 100_000);
  return {
    ...(Object.keys(person).length > 0 ? { person } : {}),
    ...(status ? { status: { victimStatus: status } } : {}),
    ...(needs ? { needs } : {}),
    ...(notes ? { notes } : {}),
  };
}

export function caseCreateCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'create', description: app.t('help.case.create') },
    args: caseArgs(app.t),
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 0);
      const flags = caseFlags(args, rawArgs);
      const file = v.text(args['from-file'], '--from-file', 4096);
      await withNode(app, args, (ctx) => caseCreate(ctx, { file, flags }));
    },
  });
}

export function caseUpdateCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'update', description: app.t('help.case.update') },
    args: { id: { type: 'positional', required: false, description: app.t('arg.caseId') }, ...caseArgs(app.t) },
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 1);
      const caseId = cv.id(args.id, 'CASE', app);
      const flags = caseFlags(args, rawArgs);
      const file = v.text(args['from-file'], '--from-file', 4096);
      if (!file && Object.keys(flags).length === 0) throw new UsageError('usage.nothingToChange', { command: app.path });
      await withNode(app, args, (ctx) => caseUpdate(ctx, caseId, { file, flags }));
    },
  });
}
