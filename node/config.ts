import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { LIMITS, NodeId, OrgId } from '../protocol/index.js';

/**
 * The node's configuration: one pure function over `CORRIDOR_*` variables. It refuses to start
 * with every bad variable listed at once (an operator with no IT staff fixes them in one go),
 * and never echoes a value back. This file and node/main.ts are the only readers of process.env.
 */

export class ConfigError extends Error {
  override name = 'ConfigError' as const;
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();

const Env = z.object({
  CORRIDOR_NODE_ID: NodeId,
  CORRIDOR_ORG_ID: OrgId,
  CORRIDOR_DATA_DIR: z.string().min(1).refine(isAbsolute, 'must be an absolute path'),
  CORRIDOR_HOST: z.string().min(1).default('127.0.0.1'),
  CORRIDOR_PORT: port.default(4000),
  /** the web interface's port (default: the node's port + 80; `off`: none) */
  CORRIDOR_WEB_PORT: z.union([z.literal('off'), port]).optional(),
  CORRIDOR_WEB_HOST: z.string().min(1).default('127.0.0.1'),
  CORRIDOR_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  CORRIDOR_MAX_BODY_BYTES: positiveInt.max(64 * 1024 * 1024).default(LIMITS.maxEnvelopeBytes),
  CORRIDOR_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  CORRIDOR_OUTBOX_POLL_MS: positiveInt.max(3_600_000).default(1000),
  CORRIDOR_OUTBOX_CONCURRENCY: positiveInt.max(256).default(16),
  CORRIDOR_RETRY_BASE_SECONDS: positiveInt.max(3600).default(30),
  CORRIDOR_RETRY_CAP_SECONDS: positiveInt.max(24 * 3600).default(6 * 3600),
  // below the outbox lease (60 s), so a slow send is never claimed twice
  CORRIDOR_SEND_TIMEOUT_MS: positiveInt.max(50_000).default(15_000),
  CORRIDOR_DB_SYNC: z.enum(['normal', 'full']).default('normal'),
  CORRIDOR_DIRECTORY_REFRESH_MINUTES: positiveInt.max(7 * 24 * 60).default(60),
  CORRIDOR_RETENTION_DAYS: positiveInt.max(36_500).default(730),
  CORRIDOR_RECEIPT_ESCALATION_DAYS: positiveInt.max(365).default(7),
  CORRIDOR_NODE_KEY_ROTATE_DAYS: positiveInt.min(7).max(335).default(180),
  CORRIDOR_SESSION_IDLE_MINUTES: positiveInt.max(7 * 24 * 60).default(120),
  CORRIDOR_SESSION_MAX_HOURS: positiveInt.max(30 * 24).default(12),
  // a file holding a key of the key ring, for unattended starts (ADR 0014); never the passphrase itself
  CORRIDOR_KEY_FILE: z.string().min(1).refine(isAbsolute, 'must be an absolute path').optional(),
});

export interface NodeConfig {
  node: string;
  org: string;
  dataDir: string;
  /** the SQLite file inside the data directory */
  dbPath: string;
  host: string;
  port: number;
  /** the web interface for case workers (issue 8): its own port, by default on this machine only */
  web?: { host: string; port: number } | undefined;
  /** the base URL peers reach this node at; defaults to http://host:port */
  publicUrl: string | undefined;
  maxBodyBytes: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  outbox: {
    /** start the background sender; tests turn it off and call drain() */
    autoStart: boolean;
    pollMs: number;
    concurrency: number;
    retryBaseMs: number;
    retryCapMs: number;
    sendTimeoutMs: number;
  };
  /** `full` syncs every commit to disk (power loss); `normal` survives a killed process */
  dbSync: 'normal' | 'full';
  /** how often the directory is refreshed from peers (also on start and when a peer names a newer one) */
  directoryRefreshMs: number;
  /** a closed case's data is purged this many days after closure (unless a legal hold) */
  retentionDays: number;
  /** a withdrawal notice without a deletion receipt after this many days raises an alert */
  receiptEscalationDays: number;
  /** the node key is rotated on schedule once it has signed this long (when the org key is at hand; ADR 0017) */
  nodeKeyRotateDays: number;
  /** a session ends after this long unused, and after `absoluteMs` whatever the use (ADR 0018) */
  sessions: { idleMs: number; absoluteMs: number };
  /** a key file that unlocks the key ring (0600, outside the data directory); otherwise the passphrase from `corridor serve` */
  keyFile?: string | undefined;
}

export function loadConfig(env: Record<string, string | undefined>): NodeConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('CORRIDOR_') && v !== ''));
  const parsed = Env.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code === 'invalid_type' && i.input === undefined ? 'required' : describe(i)}`);
    throw new ConfigError([...new Set(problems)]);
  }
  const e = parsed.data;
  if (e.CORRIDOR_RETRY_CAP_SECONDS < e.CORRIDOR_RETRY_BASE_SECONDS) {
    throw new ConfigError(['CORRIDOR_RETRY_CAP_SECONDS: must not be smaller than CORRIDOR_RETRY_BASE_SECONDS']);
  }
  return {
    node: e.CORRIDOR_NODE_ID,
    org: e.CORRIDOR_ORG_ID,
    dataDir: e.CORRIDOR_DATA_DIR,
    dbPath: join(e.CORRIDOR_DATA_DIR, 'corridor.db'),
    host: e.CORRIDOR_HOST,
    port: e.CORRIDOR_PORT,
    web: e.CORRIDOR_WEB_PORT === 'off' ? undefined : { host: e.CORRIDOR_WEB_HOST, port: e.CORRIDOR_WEB_PORT ?? (e.CORRIDOR_PORT === 0 ? 0 : Math.min(65_535, e.CORRIDOR_PORT + 80)) },
    publicUrl: e.CORRIDOR_PUBLIC_URL?.replace(/\/+$/, ''),
    maxBodyBytes: e.CORRIDOR_MAX_BODY_BYTES,
    logLevel: e.CORRIDOR_LOG_LEVEL,
    outbox: {
      autoStart: true,
      pollMs: e.CORRIDOR_OUTBOX_POLL_MS,
      concurrency: e.CORRIDOR_OUTBOX_CONCURRENCY,
      retryBaseMs: e.CORRIDOR_RETRY_BASE_SECONDS * 1000,
      retryCapMs: e.CORRIDOR_RETRY_CAP_SECONDS * 1000,
      sendTimeoutMs: e.CORRIDOR_SEND_TIMEOUT_MS,
    },
    dbSync: e.CORRIDOR_DB_SYNC,
    directoryRefreshMs: e.CORRIDOR_DIRECTORY_REFRESH_MINUTES * 60_000,
    retentionDays: e.CORRIDOR_RETENTION_DAYS,
    receiptEscalationDays: e.CORRIDOR_RECEIPT_ESCALATION_DAYS,
    nodeKeyRotateDays: e.CORRIDOR_NODE_KEY_ROTATE_DAYS,
    sessions: { idleMs: e.CORRIDOR_SESSION_IDLE_MINUTES * 60_000, absoluteMs: e.CORRIDOR_SESSION_MAX_HOURS * 3600_000 },
    keyFile: e.CORRIDOR_KEY_FILE,
  };
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_format':
      return `not a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.join(', ')}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}`;
    case 'too_small':
      return `at least ${String(issue.minimum)}`;
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    default:
      return issue.message.replace(/".*"/g, '(value)');
  }
}
