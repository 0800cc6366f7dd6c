#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js';
import type { KeySource } from './admin/key-ring.js';
import { createNode } from './node.js';

/**
 * Process entry of a Corridor node: configuration from CORRIDOR_* variables, the key ring
 * unlocked (CORRIDOR_KEY_FILE, or the passphrase `corridor serve` writes on stdin: never argv,
 * never the environment), then listen; SIGINT/SIGTERM close it cleanly (the outbox and the
 * database are durable at every moment, so a kill -9 loses nothing either). A wrong passphrase
 * or key is one line on stderr and exit 1, with nothing written.
 */

/** The first line on stdin (at most 4 KiB), then stdin is closed. */
function passphraseFromStdin(): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      process.stdin.off('data', onData);
      process.stdin.off('end', done);
      process.stdin.destroy();
      resolve((text.split(/\r?\n/)[0] ?? '').slice(0, 4096));
    };
    const onData = (chunk: string) => {
      text += chunk;
      if (text.includes('\n') || text.length > 4096) done();
    };
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', onData);
    process.stdin.once('end', done);
  });
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`corridor node: ${error.message}\n`);
      process.exitCode = 78; // EX_CONFIG
      return;
    }
    throw error;
  }
  let keySource: KeySource | undefined;
  if (config.keyFile === undefined && !process.stdin.isTTY) {
    const passphrase = await passphraseFromStdin();
    if (passphrase !== '') keySource = { passphrase };
  }
  const node = await createNode(config, keySource === undefined ? {} : { keySource });
  const { url, webUrl } = await node.listen();
  process.stdout.write(`${JSON.stringify({ listening: url, ...(webUrl ? { web: webUrl } : {}), node: config.node, pid: process.pid })}\n`);
  const stop = () => {
    void node.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`corridor node: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
