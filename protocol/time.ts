import { z } from 'zod';

/** Seconds since the Unix epoch, as an integer: what every timestamp on the wire is. */
export const UnixTime = z.number().int().min(0).max(253_402_300_799);
export type UnixTime = z.infer<typeof UnixTime>;

/** The one source of time; protocol/ never reads the system clock itself. */
export interface Clock {
  /** milliseconds since the Unix epoch */
  now(): number;
}

export function unixSeconds(clock: Clock): UnixTime {
  return Math.floor(clock.now() / 1000);
}
