import type { LocalApi } from './local-api.js';
import { ApiError } from './local-api.js';

/**
 * What the case screens read from the local API: the case as `GET /api/v1/cases/{id}` gives it,
 * and organisations' names from the directory (an id where the directory does not know it).
 */

export interface ConsentSection {
  purposes: string[];
  recipients: string[];
  categories: string[];
  fields: string[];
  onwardSharing: { allowed: boolean; to: string[] };
  retention: string;
}

export interface CaseConsent {
  id: string;
  version: number;
  hash: string;
  status: 'given' | 'withdrawn' | 'expired';
  expires: number;
  controller: string;
  local: boolean;
  processing: ConsentSection[];
  recordedAt: number;
  jurisdiction: string;
  given: { method: string; language: string; interpreterPresent: boolean; givenBy: string; at: number };
  notice: { id: string; language: string; sha256: string } | null;
}

export interface CaseView {
  id: string;
  subjectRef: string;
  state: 'open' | 'closed' | 'purged';
  origin: 'local' | 'received';
  data: Record<string, any> | null;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  consents: CaseConsent[];
  referrals: { id: string; direction: 'outgoing' | 'incoming'; peerOrg: string; state: string; purpose: string; theirContact: { name?: string; role?: string; phone?: string; email?: string } | null }[];
  assignment: { accountId: string | null; team: string | null } | null;
}

export interface ConsentStatus {
  id: string;
  status: string;
  notices: { org: string; onward: boolean; sent: boolean; sentAt: number | null; receiptAt: number | null; escalatedAt: number | null; status: 'received' | 'missing' | 'escalated'; receipt: { legalHold?: unknown; actions?: string[] } | null }[];
}

/** the names of these organisations, from the directory; an unknown one keeps its id */
export async function orgNames(api: LocalApi, orgs: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all(
    [...new Set(orgs)].map(async (org) => {
      try {
        names.set(org, (await api.get<{ name: string }>(`/api/v1/directory/orgs/${encodeURIComponent(org)}`)).name);
      } catch (error) {
        if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 400)) throw error;
        names.set(org, org);
      }
    }),
  );
  return names;
}

/** organisation ids typed by hand: `org:astra`, `astra`, separated by commas or spaces */
export function orgIds(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter((x) => x !== '').map((x) => (x.startsWith('org:') ? x : `org:${x}`)))];
}
