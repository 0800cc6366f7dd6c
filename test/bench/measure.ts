/**
 * Benchmark arithmetic: the machine is shared and noisy, so every figure is a median over
 * rounds, and every ratio compares two things measured in alternating rounds of the same run.
 */

export interface Rate {
  opsPerSecond: number;
  rounds: number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs `fn` for about `ms` milliseconds and returns operations per second. */
function round(fn: () => void, ms: number): number {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    fn();
    ops++;
    if (ops % 4 === 0 || ms > 0) now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/**
 * Measures several functions in interleaved rounds (a, b, c, a, b, c, ...) after a warm-up,
 * so that a burst of load from another process hits all of them alike.
 */
export function compare(fns: Record<string, () => void>, options: { rounds?: number; ms?: number } = {}): Record<string, Rate> {
  const rounds = options.rounds ?? 7;
  const ms = options.ms ?? 250;
  const names = Object.keys(fns);
  for (const name of names) round(fns[name]!, Math.min(100, ms));
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) for (const name of names) samples[name]!.push(round(fns[name]!, ms));
  return Object.fromEntries(names.map((n) => [n, { opsPerSecond: median(samples[n]!), rounds: samples[n]! }]));
}

export const round2 = (x: number) => Math.round(x * 100) / 100;
export const round3 = (x: number) => Math.round(x * 1000) / 1000;
