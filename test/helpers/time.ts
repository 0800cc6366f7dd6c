/** 2026-11-28T00:00:00Z: the fixed "now" of protocol tests, in Unix seconds. */
export const T0 = Date.UTC(2026, 10, 28) / 1000;
export const DAY = 24 * 3600;
