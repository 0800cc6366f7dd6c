import { ready } from '../../protocol/index.js';
import { benchEd25519 } from './ed25519.js';
import { benchEnvelope } from './envelope.js';

/**
 * `npm run bench`: progress goes to stderr; the last lines on stdout are one JSON object per
 * benchmark, each with its figures and the ratio to a baseline measured in the same run.
 */
await ready();
const lines = [];
process.stderr.write('ed25519 implementations...\n');
lines.push(...(await benchEd25519()));
process.stderr.write('envelope seal/open at 1 KiB, 64 KiB, 1 MiB...\n');
lines.push(...benchEnvelope(Date.now()));
for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
