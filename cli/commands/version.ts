import { defineCommand } from 'citty';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { type CliApp, outputArgs, outputFor } from './shared.js';

/** `corridor version`: the protocol version this CLI speaks. */
export function versionCommand(app: CliApp) {
  return defineCommand({
    meta: { name: 'version', description: app.t('help.version') },
    args: { ...outputArgs(app.t) },
    run({ args }) {
      const out = outputFor(app, args.json === true);
      if (out.json) out.data({ protocol: PROTOCOL_VERSION });
      else out.line(PROTOCOL_VERSION);
    },
  });
}
