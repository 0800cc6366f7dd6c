import { z } from 'zod';
import type { LocalClient } from '../client.js';

/**
 * The operator's routes of the local API as the CLI reads them (issue 6): the node's status,
 * prekey rotation, backup, and the backup manifest `corridor restore` checks. Loose objects: a
 * field a newer node adds is kept and ignored.
 */

const Count = z.number().int().nonnegative();
const Seconds = z.number().int().nonnegative();
const Ms = z.number().nonnegative();

export const Alert = z.looseObject({ at: Ms, kind: z.string(), peer: z.string().nullable(), messageId: z.string().nullable(), code: z.string().nullable() });
export type Alert = z.infer<typeof Alert>;

export const OperatorStatus = z.looseObject({
  node: z.string(),
  outbox: z.record(z.string(), Count),
  undelivered: Count,
  alerts: z.array(Alert),
  missingReceipts: Count,
  escalated: Count,
  keys: z.looseObject({
    node: z.looseObject({ kid: z.string(), notAfter: Seconds }),
    prekey: z.looseObject({ kid: z.string(), notAfter: Seconds }),
  }),
});
export type OperatorStatus = z.infer<typeof OperatorStatus>;

export const RotateAnswer = z.looseObject({
  created: z.string().nullable(),
  destroyed: z.array(z.string()),
  prekey: z.looseObject({ kid: z.string(), notBefore: Seconds, notAfter: Seconds }),
  published: z.array(z.string()),
  nodeKey: z.looseObject({ kid: z.string(), notAfter: Seconds, pending: z.looseObject({ kid: z.string(), submitted: Count }).nullable().optional() }),
});
export type RotateAnswer = z.infer<typeof RotateAnswer>;

export const RevokeAnswer = z.looseObject({
  revoked: z.string(),
  compromisedSince: Seconds,
  revokedAt: Seconds,
  pending: z.string().nullable(),
  submitted: Count,
});
export type RevokeAnswer = z.infer<typeof RevokeAnswer>;

export const MANIFEST_FILE = 'corridor-backup.json';

/** A file of a backup: a plain relative path in the data directory, never `..` nor absolute. */
const BackupPath = z
  .string()
  .max(1024)
  .refine((p) => /^(corridor\.db|db-key\.json|local-token|org-key|directory-anchor\.json|node\.env|attachments(\/[A-Za-z0-9._-]+)+)$/.test(p) && !p.split('/').some((s) => s === '..' || s === '.'), 'not a file of a data directory');

export const BackupManifest = z.looseObject({
  format: z.literal('corridor-backup/1'),
  createdAt: z.string(),
  node: z.string(),
  org: z.string(),
  encrypted: z.boolean(),
  files: z
    .array(z.strictObject({ path: BackupPath, bytes: Count, sha256: z.string().regex(/^[0-9a-f]{64}$/) }))
    .max(1_000_000)
    .refine((files) => ['corridor.db', 'local-token'].every((need) => files.some((f) => f.path === need)), 'the database or the local token is missing')
    .refine((files) => new Set(files.map((f) => f.path)).size === files.length, 'a file is listed twice'),
});
export type BackupManifest = z.infer<typeof BackupManifest>;
export const BackupAnswer = BackupManifest.extend({ path: z.string() });

export const operatorApi = {
  status: (client: LocalClient) => client.get('/api/v1/status', OperatorStatus),
  rotate: (client: LocalClient, key: 'prekey' | 'node' = 'prekey') => client.post('/api/v1/admin/keys/rotate', { force: true, key }, RotateAnswer),
  revoke: (client: LocalClient, input: { kid: string; compromisedSince: number; reason?: string | undefined }) => client.post('/api/v1/admin/keys/revoke', input, RevokeAnswer),
  /** a large database takes a while to copy: up to an hour */
  backup: (client: LocalClient, path: string) => client.post('/api/v1/admin/backup', { path }, BackupAnswer, { timeoutMs: 3_600_000 }),
};
