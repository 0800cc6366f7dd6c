export * from './entry.js';
export * from './manifest.js';
export * from './trust.js';
export * from './profile.js';
export * from './publish.js';
