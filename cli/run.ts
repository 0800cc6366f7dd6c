import { parseArgs } from 'node:util';
import { PROTOCOL_VERSION } from '../protocol/index.js';

/**
 * `corridor`: the case worker's and operator's command line. Today it knows only what exists:
 * the protocol version, and the place where the three-node demo will start (issue 6).
 */

const HELP = `corridor: secure referrals between organisations along the Western Balkan route

Usage: corridor <command>

Commands:
  demo       run the three-node demo network (Open Gate, ASTRA, LEFÖ-IBF)
  version    print the protocol version

Options:
  -h, --help  show this help
`;

export function run(argv: string[], out: (text: string) => void): number {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { help: { type: 'boolean', short: 'h' } } });
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    out(HELP);
    return 0;
  }
  if (command === 'version') {
    out(`${PROTOCOL_VERSION}\n`);
    return 0;
  }
  if (command === 'demo') {
    out(
      'The three-node demo is not built yet: it needs the node (federation, outbox), the directory and case work.\n' +
        'What exists today is the protocol core; `npm test` runs its tests and `npm run bench` measures it.\n',
    );
    return 0;
  }
  out(`corridor: unknown command "${command}". Run "corridor --help".\n`);
  return 2;
}
