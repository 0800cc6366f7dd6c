import { ready } from '../../protocol/index.js';

/**
 * `npm run bench`: progress goes to stderr; the last lines on stdout are one JSON object per
 * benchmark, each with its figures and the ratio to a baseline measured in the same run.
 * The benchmarks are imported after libsodium is ready (their fixtures use it at load time).
 * `npm run bench -- node-delivery` runs only the benchmarks named (by their first word).
 */
await ready();
const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);
const { benchEd25519 } = await import('./ed25519.js');
const { benchEnvelope } = await import('./envelope.js');
const { benchNodeDelivery } = await import('./node-delivery.js');
const lines = [];
if (wanted('ed25519')) {
  process.stderr.write('ed25519 implementations...\n');
  lines.push(...(await benchEd25519()));
}
if (wanted('envelope')) {
  process.stderr.write('envelope seal/open at 1 KiB, 64 KiB, 1 MiB...\n');
  lines.push(...benchEnvelope(Date.now()));
}
if (wanted('node-delivery')) {
  process.stderr.write('node delivery between two processes at 2 KiB, encrypted and plain...\n');
  lines.push(...(await benchNodeDelivery()));
}
if (wanted('directory-search')) {
  const { benchDirectorySearch } = await import('./directory-search.js');
  process.stderr.write('directory search on 100,000 services...\n');
  lines.push(...benchDirectorySearch());
}
if (wanted('directory-sync')) {
  const { benchDirectorySync } = await import('./directory-sync.js');
  process.stderr.write('directory verify, install, sync and HSDS import at 5,000 organisations...\n');
  lines.push(...(await benchDirectorySync()));
}
if (wanted('audit')) {
  const { benchAudit } = await import('./audit.js');
  process.stderr.write('audit log: append rate, verify 1,000,000 entries...\n');
  lines.push(...benchAudit((l) => process.stderr.write(`${l}\n`)));
}
if (wanted('web-screens')) {
  const { benchWebScreens } = await import('./web-screens.js');
  process.stderr.write('web interface: each screen interactive with 10,000 cases (headless Chromium)...\n');
  lines.push(...(await benchWebScreens((l) => process.stderr.write(`${l}\n`))));
}
if (wanted('case-keys')) {
  const { benchCaseKeys } = await import('./case-keys.js');
  process.stderr.write('per-case keys: listing 10,000 sealed cases vs plaintext rows...\n');
  lines.push(...benchCaseKeys((l) => process.stderr.write(`${l}\n`)));
}
for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
