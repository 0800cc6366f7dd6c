#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js';
import { createNode } from './node.js';

/**
 * Process entry of a Corridor node: configuration from CORRIDOR_* variables, then listen;
 * SIGINT/SIGTERM close it cleanly (the outbox and the database are durable at every moment,
 * so a kill -9 loses nothing either).
 */
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
  const node = await createNode(config);
  const { url } = await node.listen();
  process.stdout.write(`${JSON.stringify({ listening: url, node: config.node, pid: process.pid })}\n`);
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
