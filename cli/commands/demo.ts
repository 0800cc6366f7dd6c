import { defineCommand } from 'citty';
import { type CliApp, outputArgs, outputFor } from './shared.js';

/** `corridor demo`: says plainly that the three-node demo is not built yet (issue 6). */
export function demoCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'demo', description: app.t('help.demo') },
    args: { ...outputArgs(app.t) },
    run({ args }) {
      const out = outputFor(app, args.json === true);
      if (out.json) out.data({ built: false, message: app.t('demo.notBuilt') });
      else {
        out.line(app.t('demo.notBuilt'));
        out.line(app.t('demo.today'));
      }
    },
  });
}
