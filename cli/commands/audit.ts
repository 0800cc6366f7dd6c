import { defineCommand } from 'citty';
import { auditCheckEvidence, auditEvidence, auditVerify } from '../actions/audit.js';
import { UsageError } from '../errors.js';
import { pathOption, refusing } from '../operator.js';
import * as cv from './casework-values.js';
import { nodeFlagFor } from '../operator.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, outputFor, withNode } from './shared.js';

/** `corridor audit`: the node's tamper-evident audit log. */
export function auditCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'audit', description: app.t('help.audit') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    subCommands: {
      verify: () =>
        defineCommand({
          meta: { name: 'verify', description: app.t('help.audit.verify') },
          args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
          async run({ args }) {
            noExtraWords(app, args._, 0);
            const node = await nodeFlagFor(args.node, args['data-dir'], app.env);
            await withNode(app, { ...args, node }, (ctx) => auditVerify(ctx));
          },
        }),
      evidence: () =>
        defineCommand({
          meta: { name: 'evidence', description: app.t('help.audit.evidence') },
          args: {
            id: { type: 'positional', required: false, description: app.t('arg.audit.case') },
            out: { type: 'string', description: app.t('arg.audit.out'), valueHint: 'file' },
            ...connectionArgs(app.t),
            ...outputArgs(app.t),
          },
          async run({ args }) {
            noExtraWords(app, args._, 1);
            const caseId = cv.id(args.id, 'CASE', app);
            const file = pathOption(args.out, '--out');
            const node = await nodeFlagFor(args.node, args['data-dir'], app.env);
            await withNode(app, { ...args, node }, (ctx) => auditEvidence(ctx, caseId, file));
          },
        }),
      'check-evidence': () =>
        defineCommand({
          meta: { name: 'check-evidence', description: app.t('help.audit.checkEvidence') },
          args: {
            file: { type: 'positional', required: false, description: app.t('arg.audit.file') },
            'org-key-fingerprint': { type: 'string', description: app.t('arg.audit.fingerprint'), valueHint: 'fingerprint' },
            ...outputArgs(app.t),
          },
          async run({ args }) {
            noExtraWords(app, args._, 1);
            if (args.file === undefined || args.file.trim() === '') throw new UsageError('usage.missingArgument', { name: 'FILE', command: app.path });
            const file = pathOption(args.file, 'FILE');
            const fingerprint = args['org-key-fingerprint'];
            if (fingerprint !== undefined && !/^[0-9A-Za-z\s-]{1,200}$/.test(fingerprint)) throw new UsageError('usage.badText', { option: '--org-key-fingerprint' });
            const json = args.json === true;
            await refusing(app, json, () => auditCheckEvidence(outputFor(app, json), app.t, file, fingerprint));
          },
        }),
    },
  });
}
