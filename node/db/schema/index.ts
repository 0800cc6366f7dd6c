export * from './alerts.js';
export * from './inbox.js';
export * from './keys.js';
export * from './outbox.js';
export * from './peers.js';
export * from './directory.js';
export * from './directory-search.js';
export * from './cases.js';
