import { z } from 'zod';
import { SignedManifest } from '../../protocol/index.js';
import type { LocalClient } from '../client.js';

/**
 * The directory routes of the local API, as the CLI reads them (issue 4). Objects are loose:
 * a field added by a newer node is kept and ignored; a field missing or of another type is a
 * `BadResponse`. @TODO move these shapes into protocol/ once the node's route table lives there,
 * so node and CLI share one contract.
 */

const Seconds = z.number().int().nonnegative();
const Count = z.number().int().nonnegative();

export const Submission = z.looseObject({ org: z.string(), seq: z.number().int() });
export type Submission = z.infer<typeof Submission>;

export const DirectoryStatus = z.looseObject({
  network: z.string().nullable(),
  version: Count,
  hash: z.string().nullable(),
  issued: Seconds.nullable(),
  expires: Seconds.nullable(),
  fresh: z.boolean(),
  staleSince: Seconds.nullable(),
  organisations: Count,
  withNode: Count,
  services: Count,
  lastSync: z
    .looseObject({ at: z.number(), peer: z.string().nullable(), outcome: z.string(), version: z.number().int().nullable(), bytes: Count })
    .nullable(),
  submissions: z.array(Submission),
  splitView: z.boolean(),
});
export type DirectoryStatus = z.infer<typeof DirectoryStatus>;

const Phone = z.union([z.string(), z.looseObject({ number: z.string() })]);

export const ServiceCard = z.looseObject({
  id: z.string(),
  name: z.string(),
  types: z.array(z.string()),
  served: z.array(z.string()),
  languages: z.array(z.string()),
  interpretation: z.array(z.string()).default([]),
  hotline24h: z.boolean(),
  licence: z.looseObject({ issuer: z.string(), validUntil: z.string(), status: z.string() }).nullable().optional(),
  country: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  confidential: z.boolean(),
  phones: z.array(Phone).optional(),
  email: z.string().optional(),
  url: z.string().optional(),
});
export type ServiceCard = z.infer<typeof ServiceCard>;

export const SearchResult = z.looseObject({
  org: z.string(),
  orgName: z.string(),
  service: ServiceCard,
  demo: z.boolean(),
  score: z.number(),
  why: z.array(z.string()),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const SearchAnswer = z.looseObject({
  total: Count,
  /** the node stopped counting at `total`: there are more */
  more: z.boolean().optional(),
  page: z.number().int().positive(),
  perPage: z.number().int().positive(),
  results: z.array(SearchResult),
  groups: z.array(z.looseObject({ country: z.string(), total: Count, results: z.array(SearchResult) })).optional(),
});
export type SearchAnswer = z.infer<typeof SearchAnswer>;

export interface SearchQuery {
  q?: string;
  country?: string;
  city?: string;
  type?: string;
  language?: string;
  served?: string;
  licensed?: boolean;
  hotline?: boolean;
  route?: string[];
  page?: number;
  perPage?: number;
}

export const NodeKey = z.looseObject({
  kid: z.string(),
  notBefore: Seconds,
  notAfter: Seconds,
  compromisedSince: Seconds.optional(),
  revokedAt: Seconds.optional(),
});

export const OrgDetail = z.looseObject({
  org: z.string(),
  name: z.string(),
  seq: z.number().int(),
  listedBy: z.string().nullable(),
  orgKey: z.looseObject({ kid: z.string(), fingerprint: z.string() }),
  nodes: z.array(
    z.looseObject({ node: z.string(), url: z.string(), protocols: z.array(z.string()), maxBytes: z.number().optional(), keys: z.array(NodeKey) }),
  ),
  /** the HSDS organisation with its services; read defensively (it is another organisation's content) */
  profile: z.record(z.string(), z.unknown()),
});
export type OrgDetail = z.infer<typeof OrgDetail>;

export const ImportAnswer = z.looseObject({
  organisations: Count,
  services: Count,
  submitted: z.array(Submission),
  published: z.looseObject({ version: z.number().int() }).nullable(),
});
export type ImportAnswer = z.infer<typeof ImportAnswer>;

export interface ImportDefaults {
  country?: string;
  types?: string[];
  served?: string[];
}

export const SyncAnswer = z.looseObject({
  outcome: z.enum(['updated', 'current', 'unreachable', 'refused']),
  version: Count,
  bytes: Count,
  from: z.string().nullable(),
  code: z.string().optional(),
});
export type SyncAnswer = z.infer<typeof SyncAnswer>;

export const CollectAnswer = z.looseObject({ collected: Count, unreachable: z.array(z.string()) });
export type CollectAnswer = z.infer<typeof CollectAnswer>;

/** What the stewards sign from: the version held (checked as protocol's signed manifest) and the entries waiting. */
export const BundleAnswer = z.looseObject({
  network: z.string().nullable(),
  manifest: SignedManifest.nullable(),
  entries: z.array(z.string()),
  submissions: z.array(z.string()),
});
export type BundleAnswer = z.infer<typeof BundleAnswer>;

export const InstallAnswer = z.looseObject({
  outcome: z.enum(['installed', 'current']),
  version: Count,
  changed: z.array(z.string()),
  dropped: z.array(z.string()),
});
export type InstallAnswer = z.infer<typeof InstallAnswer>;

/** Any JSON document (the HSDS export is passed through as it came). */
const Json = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]);

export const directoryApi = {
  status: (client: LocalClient) => client.get('/api/v1/directory', DirectoryStatus),
  search: (client: LocalClient, q: SearchQuery) =>
    client.get('/api/v1/directory/search', SearchAnswer, {
      query: { ...q, route: q.route?.join(','), licensed: q.licensed === true ? 'true' : undefined, hotline: q.hotline === true ? 'true' : undefined },
    }),
  org: (client: LocalClient, org: string) => client.get(`/api/v1/directory/orgs/${encodeURIComponent(org).replace(/%3A/gi, ':')}`, OrgDetail),
  importHsds: (client: LocalClient, document: unknown, options: { defaults?: ImportDefaults | undefined; own?: string | undefined } = {}) =>
    client.post(
      '/api/v1/directory/hsds',
      { document, ...(options.defaults ? { defaults: options.defaults } : {}), ...(options.own ? { own: options.own } : {}) },
      ImportAnswer,
      { timeoutMs: 300_000 },
    ),
  exportHsds: (client: LocalClient) => client.get('/api/v1/directory/hsds', Json, { timeoutMs: 300_000 }),
  sync: (client: LocalClient, peer?: string) => client.post('/api/v1/directory/sync', peer ? { peer } : {}, SyncAnswer, { timeoutMs: 120_000 }),
  collect: (client: LocalClient) => client.post('/api/v1/directory/collect', {}, CollectAnswer, { timeoutMs: 300_000 }),
  bundle: (client: LocalClient) => client.get('/api/v1/directory/bundle', BundleAnswer, { timeoutMs: 120_000 }),
  installBundle: (client: LocalClient, bundle: { manifest: SignedManifest; entries: string[] }) =>
    client.post('/api/v1/directory/bundle', bundle, InstallAnswer, { timeoutMs: 300_000 }),
};
