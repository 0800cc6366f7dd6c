export { type MessageFamily, defineFamily } from './family.js';
export * from './common.js';
export * from './referral.js';
export * from './consent.js';
export * from './court-trip.js';
export * from './control.js';
export * from './registry.js';
export * from './node-info.js';
