import { defineCommand } from 'citty';
import { SERVED_GROUPS, SERVICE_TYPES } from '../../protocol/index.js';
import { directoryImportHsds } from '../actions/directory-import-hsds.js';
import type { ImportDefaults } from '../api/directory.js';
import { UsageError } from '../errors.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as v from './values.js';

export function directoryImportHsdsCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'import-hsds', description: t('help.directory.importHsds') },
    args: {
      file: { type: 'positional', required: false, description: t('arg.file') },
      country: { type: 'string', description: t('arg.importCountry'), valueHint: 'RS' },
      type: { type: 'string', description: t('arg.importType'), valueHint: 'legal_aid' },
      served: { type: 'string', description: t('arg.importServed'), valueHint: 'women' },
      own: { type: 'string', description: t('arg.own'), valueHint: 'id' },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 1);
      if (args.file === undefined || args.file.trim() === '') throw new UsageError('usage.missingArgument', { name: 'FILE', command: app.path });
      const country = v.country(args.country, '--country');
      const types = v.choices(v.repeated(rawArgs, 'type'), '--type', SERVICE_TYPES);
      const served = v.choices(v.repeated(rawArgs, 'served'), '--served', SERVED_GROUPS);
      const defaults: ImportDefaults = { ...(country ? { country } : {}), ...(types ? { types } : {}), ...(served ? { served } : {}) };
      const own = v.text(args.own, '--own', 200);
      const file = args.file;
      await withNode(app, args, (ctx) => directoryImportHsds(ctx, { file, defaults: Object.keys(defaults).length > 0 ? defaults : undefined, own }));
    },
  });
}
