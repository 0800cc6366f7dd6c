import { createHash } from 'node:crypto';
import * as noble from '@noble/ed25519';
import sodium from 'libsodium-wrappers';
import { SigningKey, verifyBytes } from '../../protocol/index.js';
import { compare, round2, round3 } from './measure.js';
import type { BenchLine } from './envelope.js';

/**
 * Which Ed25519 implementation signs and verifies on the hot path (docs/adr/0002): node:crypto
 * with cached key objects (what protocol/ uses), libsodium-wrappers (WebAssembly) and
 * @noble/ed25519 (pure JS, the independent second implementation), one core, same run.
 */
export async function benchEd25519(): Promise<BenchLine[]> {
  await sodium.ready;
  noble.hashes.sha512 = (m: Uint8Array) => new Uint8Array(createHash('sha512').update(m).digest());
  const key = SigningKey.generate('node');
  const seed = key.exportSeed();
  const sodiumPair = sodium.crypto_sign_seed_keypair(seed);
  const message = new Uint8Array(256).fill(7);
  const prefixed = new Uint8Array([...new TextEncoder().encode('corridor/1 msg\0'), ...message]);
  const sig = key.sign(prefixed);

  const verify = compare({
    'node:crypto': () => verifyBytes(key.publicKey, 'message', message, sig),
    'libsodium-wrappers': () => sodium.crypto_sign_verify_detached(sig, prefixed, sodiumPair.publicKey),
    '@noble/ed25519': () => noble.verify(sig, prefixed, key.publicKey, { zip215: false }),
  });
  const sign = compare({
    'node:crypto': () => key.sign(prefixed),
    'libsodium-wrappers': () => sodium.crypto_sign_detached(prefixed, sodiumPair.privateKey),
    '@noble/ed25519': () => noble.sign(prefixed, seed),
  });
  const base = verify['libsodium-wrappers']!.opsPerSecond;
  const baseSign = sign['libsodium-wrappers']!.opsPerSecond;
  return [
    {
      bench: 'ed25519-verify',
      message_bytes: prefixed.length,
      ops_per_s: Object.fromEntries(Object.entries(verify).map(([k, v]) => [k, round2(v.opsPerSecond)])),
      baseline: 'libsodium-wrappers',
      ratio: Object.fromEntries(Object.entries(verify).map(([k, v]) => [k, round3(v.opsPerSecond / base)])),
      statistic: 'median of interleaved rounds',
    },
    {
      bench: 'ed25519-sign',
      message_bytes: prefixed.length,
      ops_per_s: Object.fromEntries(Object.entries(sign).map(([k, v]) => [k, round2(v.opsPerSecond)])),
      baseline: 'libsodium-wrappers',
      ratio: Object.fromEntries(Object.entries(sign).map(([k, v]) => [k, round3(v.opsPerSecond / baseSign)])),
      statistic: 'median of interleaved rounds',
    },
  ];
}
