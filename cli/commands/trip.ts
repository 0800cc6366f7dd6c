import { defineCommand } from 'citty';
import { type CliApp, connectionArgs, outputArgs } from './shared.js';

/** `corridor trip`: the court return trips planned with a partner organisation (issue 6). */
export function tripCommand(app: CliApp) {
  const plan = () => import('./trip-plan.js');
  const show = () => import('./trip-show.js');
  return defineCommand({
    meta: { name: 'trip', description: app.t('help.trip') },
    args: { ...connectionArgs(app.t), ...outputArgs(app.t) },
    subCommands: {
      plan: () => plan().then((m) => m.tripPlanCommand(app)),
      show: () => show().then((m) => m.tripShowCommand(app)),
      list: () => show().then((m) => m.tripListCommand(app)),
      task: () => import('./trip-task.js').then((m) => m.tripTaskCommand(app)),
      change: () => plan().then((m) => m.tripChangeCommand(app)),
    },
  });
}
