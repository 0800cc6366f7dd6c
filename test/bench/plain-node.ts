import { loadConfig } from '../../node/config.js';
import { createNode } from '../../node/node.js';
import { TEST_CASE_KEY_WRAPPING_KEY } from '../helpers/node-db.js';

/**
 * The benchmark's plaintext baseline receiver: what node/main.ts does, but with the database
 * opened without a key (`databaseKey: null`), so `npm run bench` can set the encrypted node
 * against the plain one in the same run. Test-only: node/main.ts always unlocks the key ring.
 */
const config = loadConfig(process.env);
const node = await createNode(config, { databaseKey: null, caseKeyWrappingKey: TEST_CASE_KEY_WRAPPING_KEY });
const { url } = await node.listen();
process.stdout.write(`${JSON.stringify({ listening: url, node: config.node, pid: process.pid })}\n`);
process.once('SIGTERM', () => void node.close().then(() => process.exit(0)));
