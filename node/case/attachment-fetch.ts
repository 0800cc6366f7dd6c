import { type Clock, type SigningKey, type TrustedNodeKey, fetchAttachment, fromBase64Url, openAttachment, randomBytes, toBase64Url, verifyManifest } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { AttachmentRow, Attachments } from './attachments.js';

/**
 * Fetching received attachments, outside the inbox transaction: for each pending one, the
 * manifest is verified against the key of the node that signed it before a byte is read, the
 * ciphertext comes from the sender over the signed `GET /federation/v1/attachments/{id}`,
 * bounded by the manifest's size and checked chunk by chunk as it arrives, then opened whole
 * (authentication, FINAL tag, SHA-256) before it is kept. What does not verify is refused for
 * good; a sender that cannot be reached is tried again later with backoff (the node's sweep
 * calls `fetchPending`).
 */

export interface FetcherDeps {
  attachments: Attachments;
  clock: Clock;
  log: Logger;
  fetch: typeof fetch;
  self: { node: string };
  nodeKey: () => SigningKey;
  peerUrl: (node: string) => string | undefined;
  keyOf: (node: string, kid: string) => TrustedNodeKey | undefined;
  /** a whole attachment may take a while on a slow connection */
  timeoutMs: number;
  /** the outcome, for the referral's history */
  onOutcome?: (row: AttachmentRow, outcome: { stored: true } | { stored: false; code: string }) => void;
}

const BASE_MS = 30_000;
const CAP_MS = 6 * 3600_000;
/** about a week of tries with the cap: then the sender is taken to be gone */
const MAX_ATTEMPTS = 40;
/** a failed check of what the sender signed or sent: trying again would not change it */
const PERMANENT = new Set<string>(['AttachmentCorrupt', 'AttachmentTooLong', 'AttachmentTruncated', 'BadSignature', 'KeyRevoked', 'KeyNotValid', 'SchemaViolation', 'NotFound']);

export function createAttachmentFetcher(deps: FetcherDeps) {
  const { attachments } = deps;

  async function fetchOne(row: AttachmentRow): Promise<{ stored: true } | { stored: false; code: string }> {
    const baseUrl = row.sourceNode ? deps.peerUrl(row.sourceNode) : undefined;
    if (!baseUrl) return { stored: false, code: 'PeerUnavailable' };
    const raw = JSON.parse(row.manifest) as { signer?: { node?: unknown; kid?: unknown } };
    const senderKey = deps.keyOf(String(raw.signer?.node), String(raw.signer?.kid));
    if (!senderKey) return { stored: false, code: 'UnknownSenderKey' };
    const verified = verifyManifest(raw, row.manifestSignature, senderKey);
    if (!verified.ok) return { stored: false, code: verified.code };
    const manifest = verified.value;
    // the reference must describe the attachment the signed manifest fixes
    if (manifest.id !== row.id || manifest.size !== row.size || manifest.mediaType !== row.mediaType.toLowerCase()) return { stored: false, code: 'AttachmentCorrupt' };
    const key = fromBase64Url(row.key);
    if (!key) return { stored: false, code: 'AttachmentCorrupt' };
    const fetched = await fetchAttachment(
      { fetch: deps.fetch, baseUrl, from: deps.self.node, signer: deps.nodeKey(), now: Math.floor(deps.clock.now() / 1000), nonce: toBase64Url(randomBytes(16)), timeoutMs: deps.timeoutMs },
      manifest,
    );
    if (!fetched.ok) return { stored: false, code: fetched.code };
    const opened = openAttachment(fetched.ciphertext, { manifest, signature: row.manifestSignature, key, senderKey });
    if (!opened.ok) return { stored: false, code: opened.code };
    return attachments.stored(row.id, fetched.ciphertext) ? { stored: true } : { stored: false, code: 'NotFound' };
  }

  async function pass(): Promise<number> {
    let stored = 0;
    const seen = new Set<string>();
    for (;;) {
      const due = attachments.due(deps.clock.now()).filter((r) => !seen.has(r.id));
      if (due.length === 0) return stored;
      for (const row of due) {
        seen.add(row.id);
        let outcome: { stored: true } | { stored: false; code: string };
        try {
          outcome = await fetchOne(row);
        } catch (error) {
          deps.log.error('fetching an attachment failed', { id: row.id, error: error instanceof Error ? error.name : 'unknown' });
          outcome = { stored: false, code: 'Internal' };
        }
        if (outcome.stored) {
          stored++;
          deps.log.info('attachment received', { id: row.id, from: row.sourceNode });
          deps.onOutcome?.(row, outcome);
        } else if (PERMANENT.has(outcome.code) || row.attempts + 1 >= MAX_ATTEMPTS) {
          attachments.refuse(row.id, outcome.code);
          deps.log.warn('attachment refused', { id: row.id, from: row.sourceNode, code: outcome.code });
          deps.onOutcome?.(row, outcome);
        } else {
          attachments.retry(row.id, outcome.code, deps.clock.now() + Math.min(CAP_MS, BASE_MS * 2 ** row.attempts));
          deps.log.info('attachment not fetched yet', { id: row.id, from: row.sourceNode, code: outcome.code });
        }
      }
    }
  }

  let running: Promise<number> | null = null;
  let again = false;
  return {
    /**
     * Fetches every received attachment that is due; one run at a time (a call during a run
     * makes it go round once more and shares its result). Resolves with how many were stored;
     * never rejects.
     */
    fetchPending(): Promise<number> {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        let total = 0;
        do {
          again = false;
          total += await pass();
        } while (again);
        return total;
      })()
        .catch((error: unknown) => {
          deps.log.error('fetching attachments failed', { error: error instanceof Error ? error.message : 'unknown' });
          return 0;
        })
        .finally(() => {
          running = null;
        });
      return running;
    },
  };
}

export type AttachmentFetcher = ReturnType<typeof createAttachmentFetcher>;
