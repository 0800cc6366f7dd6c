import type { Clock } from '../protocol/index.js';

/** The one owner of time in the node: the system clock in production, a manual one in tests. */
export const systemClock: Clock = { now: () => Date.now() };

export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(by: { ms?: number; seconds?: number; minutes?: number; hours?: number; days?: number }): void;
}

export function manualClock(startMs: number): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (by) => {
      t += (by.ms ?? 0) + 1000 * ((by.seconds ?? 0) + 60 * ((by.minutes ?? 0) + 60 * ((by.hours ?? 0) + 24 * (by.days ?? 0))));
    },
  };
}
