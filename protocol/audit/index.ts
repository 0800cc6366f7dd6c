export * from './merkle.js';
export * from './entry.js';
export * from './checkpoint.js';
export * from './evidence.js';
export * from './binary-tree.js';
