import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import {
  type AttachmentRef,
  type Clock,
  ProtocolError,
  type SigningKey,
  type TrustedNodeKey,
  Ulid,
  fromBase64Url,
  openAttachment,
  sealAttachment,
  toBase64Url,
} from '../../protocol/index.js';
import type { CaseKeys } from './case-keys.js';

/**
 * Attachments of a case, encrypted at rest: the secretstream ciphertext in
 * `<dataDir>/attachments/<id>` (the protocol's attachment format, 64 KiB chunks, a manifest signed
 * by the node key), the key and the signed manifest in the `attachment` table. An upload is sealed
 * on the way in; the case worker reads it decrypted through the local API only.
 *
 * A received attachment keeps the sender's ciphertext, key and signed manifest as they are: the
 * bytes are already encrypted, re-encrypting under a local key would protect nothing more (the
 * key sits next to the file either way), and the sender's signature stays checkable (where a
 * medical certificate came from). It is recorded `pending` in the inbox transaction and fetched
 * from the sender afterwards (attachment-fetch.ts). Only a peer it was disclosed to
 * (`attachment_disclosure`) may fetch a ciphertext from here.
 *
 * The attachment's key and file name are sealed with the case's key (ADR 0014 step C): once the
 * case is purged and its key shredded, no copy of the row opens the file.
 */

export type AttachmentRow = {
  id: string;
  caseId: string;
  mediaType: string;
  size: number;
  name: string | null;
  key: string;
  manifest: string;
  manifestSignature: string;
  createdAt: number;
  origin: 'local' | 'received';
  state: 'stored' | 'pending' | 'refused';
  sourceNode: string | null;
  referralId: string | null;
  attempts: number;
  nextAttemptAt: number | null;
  problem: string | null;
};

/** What the case worker sees: never the key. */
export const publicView = (r: AttachmentRow) => ({
  id: r.id,
  caseId: r.caseId,
  mediaType: r.mediaType,
  size: r.size,
  name: r.name,
  origin: r.origin,
  state: r.state,
  from: r.sourceNode,
  problem: r.problem,
  createdAt: r.createdAt,
});
export type AttachmentInfo = ReturnType<typeof publicView>;

export interface AttachmentDeps {
  sqlite: Database.Database;
  dataDir: string;
  clock: Clock;
  self: { node: string };
  nodeKey: () => SigningKey;
  /** the node key that signed a manifest (ours or a peer's), by node and kid */
  keyOf: (node: string, kid: string) => TrustedNodeKey | undefined;
  /** received attachments wait to be fetched: runs after the current (synchronous) transaction */
  onPending?: () => void;
  /** the case keys that seal each attachment's key and name */
  caseKeys: CaseKeys;
}

const notFound = () => new ProtocolError('NotFound', 'no such attachment');

export function createAttachments(deps: AttachmentDeps) {
  const dir = join(deps.dataDir, 'attachments');
  const fileOf = (id: string) => {
    if (!Ulid.safeParse(id).success) throw notFound();
    return join(dir, id);
  };
  const q = {
    insert: deps.sqlite.prepare(
      `INSERT OR IGNORE INTO attachment (id, caseId, mediaType, size, name, key, manifest, manifestSignature, createdAt, origin, state, sourceNode, referralId, problem)
       VALUES (@id, @caseId, @mediaType, @size, @name, @key, @manifest, @manifestSignature, @createdAt, @origin, @state, @sourceNode, @referralId, @problem)`,
    ),
    get: deps.sqlite.prepare(`SELECT * FROM attachment WHERE id = ?`),
    ofCase: deps.sqlite.prepare(`SELECT * FROM attachment WHERE caseId = ? ORDER BY id`),
    due: deps.sqlite.prepare(`SELECT * FROM attachment WHERE state = 'pending' AND coalesce(nextAttemptAt, 0) <= ? ORDER BY id LIMIT ?`),
    stored: deps.sqlite.prepare(`UPDATE attachment SET state = 'stored', problem = NULL, nextAttemptAt = NULL WHERE id = ? AND state = 'pending'`),
    retry: deps.sqlite.prepare(`UPDATE attachment SET attempts = attempts + 1, nextAttemptAt = @next, problem = @code WHERE id = @id AND state = 'pending'`),
    refuse: deps.sqlite.prepare(`UPDATE attachment SET state = 'refused', attempts = attempts + 1, nextAttemptAt = NULL, problem = @code WHERE id = @id AND state = 'pending'`),
    remove: deps.sqlite.prepare(`DELETE FROM attachment WHERE caseId = ?`),
    disclose: deps.sqlite.prepare(
      `INSERT INTO attachment_disclosure (attachmentId, caseId, referralId, org, node, messageId, at) VALUES (@attachmentId, @caseId, @referralId, @org, @node, @messageId, @at)`,
    ),
    disclosed: deps.sqlite.prepare(`SELECT 1 FROM attachment_disclosure WHERE attachmentId = ? AND node = ? LIMIT 1`),
  };
  const { caseKeys } = deps;
  /** key and name sealed with the case's key on the way in, opened on the way out */
  const seal = <T extends { caseId: string; key: string; name: string | null }>(r: T): T => ({
    ...r,
    key: caseKeys.sealText(r.caseId, r.key, 'attachment.key'),
    name: r.name === null ? null : caseKeys.sealText(r.caseId, r.name, 'attachment.name'),
  });
  const opened = (r: AttachmentRow | undefined): AttachmentRow | undefined =>
    r && { ...r, key: caseKeys.openText(r.caseId, r.key, 'attachment.key'), name: r.name === null ? null : caseKeys.openText(r.caseId, r.name, 'attachment.name') };
  const get = (id: string) => opened(q.get.get(id) as AttachmentRow | undefined);
  const require = (id: string): AttachmentRow => {
    const row = Ulid.safeParse(id).success ? get(id) : undefined;
    if (!row) throw notFound();
    return row;
  };
  /** write-then-rename, owner-only: a crash never leaves half a file under the final name */
  const writeFile = (id: string, bytes: Uint8Array) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${fileOf(id)}.tmp`;
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, fileOf(id));
  };

  return {
    get,
    require,
    list: (caseId: string): AttachmentInfo[] => (q.ofCase.all(caseId) as AttachmentRow[]).map((r) => publicView(opened(r) as AttachmentRow)),

    /** seals an upload with a fresh key and the node key's signed manifest, and stores it */
    add(caseId: string, bytes: Uint8Array, meta: { mediaType: string; name?: string }): AttachmentInfo {
      const nowMs = deps.clock.now();
      const sealed = sealAttachment(bytes, { mediaType: meta.mediaType, sender: deps.nodeKey(), node: deps.self.node, nowMs });
      const row = {
        id: sealed.manifest.id,
        caseId,
        mediaType: meta.mediaType,
        size: bytes.length,
        name: meta.name ?? null,
        key: toBase64Url(sealed.key),
        manifest: JSON.stringify(sealed.manifest),
        manifestSignature: sealed.signature,
        createdAt: nowMs,
        origin: 'local' as const,
        state: 'stored' as const,
        sourceNode: null,
        referralId: null,
        problem: null,
      };
      writeFile(row.id, sealed.ciphertext);
      q.insert.run(seal(row));
      return publicView(require(row.id));
    },

    /** the plaintext for the case worker: verified against the manifest and its signer, then decrypted */
    content(id: string): { row: AttachmentRow; bytes: Uint8Array } {
      const row = require(id);
      if (row.state !== 'stored') throw new ProtocolError('NotFound', `the attachment is ${row.state}`, { issues: [{ path: 'state', problem: row.state }] });
      const manifest = JSON.parse(row.manifest) as { signer?: { node?: string; kid?: string } };
      const senderKey = deps.keyOf(String(manifest.signer?.node), String(manifest.signer?.kid));
      const key = fromBase64Url(row.key);
      if (!senderKey || !key) throw new ProtocolError('UnknownSenderKey', 'the key that signed this attachment is not known');
      const opened = openAttachment(new Uint8Array(readFileSync(fileOf(id))), { manifest, signature: row.manifestSignature, key, senderKey });
      if (!opened.ok) throw new ProtocolError(opened.code, 'the stored attachment does not verify');
      return { row, bytes: opened.value };
    },

    /** the file of a stored attachment and its size (for the federation route), or null */
    ciphertextFile(id: string): { path: string; size: number } | null {
      const row = Ulid.safeParse(id).success ? get(id) : undefined;
      if (!row || row.state !== 'stored') return null;
      try {
        return { path: fileOf(id), size: statSync(fileOf(id)).size };
      } catch {
        return null;
      }
    },

    /** the references a handover or update carries (key included: the envelope is end-to-end encrypted) */
    refs(caseId: string, ids: readonly string[]): AttachmentRef[] {
      return [...new Set(ids)].map((id) => {
        const row = get(id);
        if (!row || row.caseId !== caseId) throw new ProtocolError('NotFound', 'no such attachment on this case', { issues: [{ path: `attachments[${ids.indexOf(id)}]`, problem: 'not_found' }] });
        if (row.state !== 'stored') throw new ProtocolError('InvalidRequest', `the attachment is ${row.state}`, { issues: [{ path: `attachments[${ids.indexOf(id)}]`, problem: row.state }] });
        return { id: row.id, mediaType: row.mediaType, size: row.size, ...(row.name ? { name: row.name } : {}), key: row.key, manifest: JSON.parse(row.manifest) as Record<string, unknown>, manifestSignature: row.manifestSignature };
      });
    },

    /** inside the sending transaction: these peers may now fetch these ciphertexts */
    disclose(refs: readonly AttachmentRef[], d: { caseId: string; referralId: string; org: string; node: string; messageId: string; at: number }): void {
      for (const ref of refs) q.disclose.run({ attachmentId: ref.id, ...d });
    },
    disclosedTo: (id: string, node: string): boolean => q.disclosed.get(id, node) !== undefined,

    /**
     * Inside the inbox transaction: records received attachments as pending (an id already held
     * is never overwritten) and asks for a fetch once the transaction is done.
     */
    receive(refs: readonly AttachmentRef[], at: { caseId: string; referralId: string; from: string; nowMs: number }): number {
      let added = 0;
      for (const ref of refs) {
        const manifestId = (ref.manifest as { id?: unknown }).id;
        // the reference and its signed manifest must name the same attachment
        const fits = manifestId === ref.id;
        added += q.insert.run(seal({ id: ref.id, caseId: at.caseId, mediaType: ref.mediaType, size: ref.size, name: ref.name ?? null, key: ref.key, manifest: JSON.stringify(ref.manifest), manifestSignature: ref.manifestSignature, createdAt: at.nowMs, origin: 'received', state: fits ? 'pending' : 'refused', sourceNode: at.from, referralId: at.referralId, problem: fits ? null : 'AttachmentCorrupt' })).changes;
      }
      if (added > 0) deps.onPending?.();
      return added;
    },
    /** pending attachments due for a fetch; one whose case key does not open its row is refused, never thrown at the fetcher */
    due(nowMs: number, limit = 20): AttachmentRow[] {
      return (q.due.all(nowMs, limit) as AttachmentRow[]).flatMap((r) => {
        try {
          return [opened(r) as AttachmentRow];
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
          q.refuse.run({ id: r.id, code: error.code });
          return [];
        }
      });
    },
    /** a verified download: the file first, then the row; false if the row is gone meanwhile (purged) */
    stored(id: string, ciphertext: Uint8Array): boolean {
      const row = get(id);
      if (!row || row.state !== 'pending') return false;
      writeFile(id, ciphertext);
      return q.stored.run(id).changes === 1;
    },
    retry: (id: string, code: string, nextMs: number) => void q.retry.run({ id, code, next: nextMs }),
    refuse: (id: string, code: string) => void q.refuse.run({ id, code }),

    /**
     * Purge: deletes the attachments of a case, rows (and so the keys) and files. For the
     * withdrawal and retention code; the disclosure records (ids only) stay.
     */
    purgeAttachments(caseId: string): number {
      const rows = q.ofCase.all(caseId) as AttachmentRow[];
      q.remove.run(caseId);
      for (const row of rows) {
        rmSync(fileOf(row.id), { force: true });
        rmSync(`${fileOf(row.id)}.tmp`, { force: true });
      }
      return rows.length;
    },
  };
}

export type Attachments = ReturnType<typeof createAttachments>;
