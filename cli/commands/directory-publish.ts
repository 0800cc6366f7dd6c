import { defineCommand } from 'citty';
import { type Member, OrgId, PublicKeyB64, fromBase64Url, keyId } from '../../protocol/index.js';
import { directoryPublish } from '../actions/directory-publish.js';
import { UsageError } from '../errors.js';
import { type CliApp, connectionArgs, noExtraWords, outputArgs, withNode } from './shared.js';
import * as v from './values.js';

/**
 * `corridor directory publish`: the stewards sign the next directory version on their laptop
 * (the keys never reach a node) and install it on the stewards' node through its local API.
 */
export function directoryPublishCommand(app: CliApp) {
  const { t } = app;
  return defineCommand({
    meta: { name: 'publish', description: t('help.directory.publish') },
    args: {
      'steward-key': { type: 'string', description: t('arg.stewardKey'), valueHint: 'file' },
      'expires-days': { type: 'string', description: t('arg.expiresDays'), valueHint: '30' },
      admit: { type: 'string', description: t('arg.admit'), valueHint: 'org:x=KEY' },
      rekey: { type: 'string', description: t('arg.rekey'), valueHint: 'org:x=KEY' },
      remove: { type: 'string', description: t('arg.remove'), valueHint: 'org:x' },
      'stewards-file': { type: 'string', description: t('arg.stewardsFile'), valueHint: 'file' },
      'dry-run': { type: 'boolean', description: t('arg.dryRun') },
      ...connectionArgs(t),
      ...outputArgs(t),
    },
    async run({ args, rawArgs }) {
      noExtraWords(app, args._, 0);
      const dryRun = args['dry-run'] === true;
      const keyFiles = v.repeated(rawArgs, 'steward-key').map((f) => {
        if (f.trim() === '') throw new UsageError('usage.missingValue', { option: '--steward-key' });
        return f;
      });
      if (keyFiles.length === 0 && !dryRun) throw new UsageError('usage.stewardKeyNeeded', { command: app.path });
      const days = v.wholeNumber(args['expires-days'], '--expires-days', 1, 366) ?? 30;
      const admit = members(v.repeated(rawArgs, 'admit'), '--admit');
      const rekey = members(v.repeated(rawArgs, 'rekey'), '--rekey');
      const remove = v.repeated(rawArgs, 'remove').map((value) => {
        const org = value.trim();
        if (!OrgId.safeParse(org).success) throw new UsageError('usage.badOrgOption', { option: '--remove' });
        return org;
      });
      once(remove, '--remove');
      const stewardsFile = args['stewards-file'];
      if (stewardsFile !== undefined && stewardsFile.trim() === '') throw new UsageError('usage.missingValue', { option: '--stewards-file' });
      await withNode(app, args, (ctx) =>
        directoryPublish(ctx, {
          keyFiles,
          days,
          admit,
          rekey,
          remove,
          stewardsFile,
          dryRun,
          now: Date.now(),
          warnOpenKeys: app.io.stderrIsTTY && process.platform !== 'win32',
        }),
      );
    },
  });
}

/** `org:x=<base64url org public key>`, each organisation once; the key id derived from the key. */
function members(values: string[], option: string): Member[] {
  const list = values.map((value) => {
    const at = value.indexOf('=');
    const org = value.slice(0, Math.max(0, at)).trim();
    const publicKey = value.slice(at + 1).trim();
    const bytes = PublicKeyB64.safeParse(publicKey).success ? fromBase64Url(publicKey) : null;
    if (at < 0 || !OrgId.safeParse(org).success || bytes?.length !== 32) throw new UsageError('usage.badMember', { option });
    return { org, kid: keyId('org', bytes), publicKey };
  });
  once(list.map((m) => m.org), option);
  return list;
}

function once(orgs: string[], option: string): void {
  const twice = orgs.find((org, i) => orgs.indexOf(org) !== i);
  if (twice !== undefined) throw new UsageError('usage.orgTwice', { org: twice, option });
}
