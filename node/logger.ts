/**
 * Every log line of the node: one JSON object per line on stderr, named by subsystem. Log ids,
 * codes and counts, never message content or key material (the callers only pass those).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(subsystem: string): Logger;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l), subsystem = 'node', now: () => number = Date.now): Logger {
  const emit = (at: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    write(`${JSON.stringify({ t: new Date(now()).toISOString(), level: at, sub: subsystem, msg, ...fields })}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (sub) => createLogger(level, write, sub, now),
  };
}
