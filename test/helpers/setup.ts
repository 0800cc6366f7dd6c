import { ready } from '../../protocol/index.js';

await ready();
