import { defineCommand } from 'citty';
import { type CliApp, connectionArgs, outputArgs } from './shared.js';

/** `corridor directory`: the directory of services along the route (issue 4). */
export function directoryCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'directory', description: app.t('help.directory') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    subCommands: {
      status: () => import('./directory-status.js').then((m) => m.directoryStatusCommand(app)),
      search: () => import('./directory-search.js').then((m) => m.directorySearchCommand(app)),
      show: () => import('./directory-show.js').then((m) => m.directoryShowCommand(app)),
      'import-hsds': () => import('./directory-import-hsds.js').then((m) => m.directoryImportHsdsCommand(app)),
      'export-hsds': () => import('./directory-export-hsds.js').then((m) => m.directoryExportHsdsCommand(app)),
      sync: () => import('./directory-sync.js').then((m) => m.directorySyncCommand(app)),
      collect: () => import('./directory-collect.js').then((m) => m.directoryCollectCommand(app)),
      publish: () => import('./directory-publish.js').then((m) => m.directoryPublishCommand(app)),
    },
  });
}
