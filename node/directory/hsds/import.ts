import {
  CONFIDENTIAL_LOCATION_FORBIDDEN,
  CountryCode,
  type FieldIssue,
  OrgProfile,
  type Result,
  type ServedGroup,
  type ServiceType,
  fail,
  ok,
} from '../../../protocol/index.js';
import { isObject, joinPath, readCorridorAttributes } from './corridor-terms.js';
import { type DetectedKind, detectKind, isHsdsKind } from './detect.js';
import { type HsdsKind, type HsdsValidator, capIssues, validateHsds } from './validate.js';

/**
 * HSDS 3.0 JSON in, Corridor profiles out (docs/adr/0012). The document is checked against the
 * official schemas, then each organisation with its services becomes an `OrgProfile`, checked by
 * zod. Pure and all-or-nothing: every problem (path and code, never a value) or the full result.
 *
 * Corridor facts, in order of preference:
 *  - organisation country: `corridor.country`, else the first ISO alpha-2 address country of its
 *    locations, else `defaults.country`, else a problem at `…/corridor/country`;
 *  - service types and served groups: the `corridor` extension, else attributes whose term is in
 *    the taxonomy "corridor", else `defaults`; a service left without a type is refused at
 *    `…/corridor/types` (there is no "unclassified" type: the operator must say what it is).
 * Quirks the official examples carry: phone numbers wrapped in literal quotes are unwrapped;
 * numeric `timezone`, `HH:MM:SS` times and deprecated dummy fields are kept as they came.
 */

type HsdsObject = Record<string, unknown>;

const CONFIDENTIAL = 'confidential_location_detail';

export interface ImportDefaults {
  types?: ServiceType[];
  served?: ServedGroup[];
  country?: string;
}

export interface ImportOptions {
  /** facts an operator supplies for plain HSDS that lacks them (command-line flags) */
  defaults?: ImportDefaults;
  /** the kind, when the document's shape is ambiguous */
  kind?: HsdsKind;
  /** the schemas to check against (tests pass the official files) */
  validator?: HsdsValidator;
}

export interface ImportedDirectory {
  kind: HsdsKind | 'api_root';
  profiles: OrgProfile[];
  /** locations, taxonomies and terms that came on their own (not part of an organisation) */
  locations: HsdsObject[];
  taxonomies: HsdsObject[];
  taxonomyTerms: HsdsObject[];
}

interface ServiceRecord {
  service: HsdsObject;
  path: string;
}
interface OrgRecord {
  org: HsdsObject;
  path: string;
  services: ServiceRecord[];
}

export function importHsds(json: unknown, options: ImportOptions = {}): Result<ImportedDirectory, 'SchemaViolation'> {
  const detected: DetectedKind = options.kind ?? detectKind(json);
  if (detected === 'tabular') return fail('SchemaViolation', [{ path: '(root)', problem: 'tabular_not_supported_export_json' }]);
  if (detected === 'unknown' || (detected !== 'api_root' && !isHsdsKind(detected))) return fail('SchemaViolation', [{ path: '(root)', problem: 'unknown_hsds_kind' }]);
  if (detected === 'api_root') return importApiRoot(json);

  const schemaIssues = options.validator ? options.validator.validate(detected, json) : validateHsds(detected, json);
  if (schemaIssues.length > 0) return fail('SchemaViolation', schemaIssues);

  const doc = structuredClone(json) as HsdsObject;
  const issues: FieldIssue[] = [...confidentialIssues(doc, '')];
  unquotePhones(doc);
  const out: ImportedDirectory = { kind: detected, profiles: [], locations: [], taxonomies: [], taxonomyTerms: [] };
  const items = detected.endsWith('_list') ? (doc.contents as HsdsObject[]).map((item, i) => ({ item, path: `contents/${i}` })) : [{ item: doc, path: '' }];
  const itemKind = detected.replace(/_list$/, '');

  if (itemKind === 'location') out.locations = items.map((x) => x.item);
  else if (itemKind === 'taxonomy') out.taxonomies = items.map((x) => x.item);
  else if (itemKind === 'taxonomy_term') out.taxonomyTerms = items.map((x) => x.item);
  else {
    const orgs = groupByOrganization(itemKind, items, issues);
    for (const record of orgs.values()) {
      const profile = toProfile(record, options.defaults ?? {}, issues);
      if (profile) out.profiles.push(profile);
    }
  }
  if (issues.length > 0) return fail('SchemaViolation', capIssues(dedupe(issues)));
  return ok(out);
}

function importApiRoot(json: unknown): Result<ImportedDirectory, 'SchemaViolation'> {
  const version = isObject(json) ? json.version : undefined;
  if (typeof version !== 'string' || !version.startsWith('3.')) return fail('SchemaViolation', [{ path: 'version', problem: 'unsupported_hsds_version' }]);
  return ok({ kind: 'api_root', profiles: [], locations: [], taxonomies: [], taxonomyTerms: [] });
}

/** Services grouped under their organisation, in document order. */
function groupByOrganization(itemKind: string, items: { item: HsdsObject; path: string }[], issues: FieldIssue[]): Map<string, OrgRecord> {
  const orgs = new Map<string, OrgRecord>();
  const services: (ServiceRecord & { orgId?: string })[] = [];
  const serviceById = new Map<string, ServiceRecord>();

  const addOrg = (org: HsdsObject, path: string): OrgRecord => {
    const id = org.id as string;
    const known = orgs.get(id);
    if (known) return known;
    const { services: _nested, ...rest } = org;
    const record: OrgRecord = { org: rest, path, services: [] };
    orgs.set(id, record);
    return record;
  };
  const addService = (service: HsdsObject, path: string): ServiceRecord => {
    const { organization, ...rest } = service;
    const record = { service: rest, path };
    if (isObject(organization)) {
      addOrg(organization, joinPath(path, 'organization'));
      services.push({ ...record, orgId: organization.id as string });
    } else services.push({ ...record, ...(typeof service.organization_id === 'string' ? { orgId: service.organization_id } : {}) });
    serviceById.set(service.id as string, record);
    return record;
  };

  for (const { item, path } of items) {
    if (itemKind === 'organization') {
      if (orgs.has(item.id as string)) issues.push({ path: joinPath(path, 'id'), problem: 'duplicate_id' });
      const record = addOrg(item, path);
      const nested = Array.isArray(item.services) ? (item.services as HsdsObject[]) : [];
      nested.forEach((service, i) => record.services.push({ service, path: joinPath(path, 'services', i) }));
    } else if (itemKind === 'service') {
      if (serviceById.has(item.id as string)) issues.push({ path: joinPath(path, 'id'), problem: 'duplicate_id' });
      else addService(item, path);
    } else {
      // a service_at_location: its service carries it, without the back reference
      const { service, ...sal } = item;
      if (!isObject(service)) {
        issues.push({ path: joinPath(path, 'service'), problem: 'required' });
        continue;
      }
      const record = serviceById.get(service.id as string) ?? addService(service, joinPath(path, 'service'));
      const list = Array.isArray(record.service.service_at_locations) ? (record.service.service_at_locations as HsdsObject[]) : [];
      if (!list.some((s) => s.id === sal.id)) record.service.service_at_locations = [...list, sal];
    }
  }

  for (const record of services) {
    const org = record.orgId === undefined ? undefined : orgs.get(record.orgId);
    if (org) org.services.push(record);
    else issues.push({ path: joinPath(record.path, 'organization'), problem: record.orgId === undefined ? 'required' : 'organization_not_in_document' });
  }
  return orgs;
}

function toProfile(record: OrgRecord, defaults: ImportDefaults, issues: FieldIssue[]): OrgProfile | undefined {
  const servicePaths = record.services.map((s) => s.path);
  const candidate: HsdsObject = {
    ...record.org,
    corridor: record.org.corridor ?? organizationCorridor(record, defaults, issues),
    services: record.services.map((s) => toService(s, defaults, issues)),
  };
  const parsed = OrgProfile.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const before = issues.length;
  const confidentialSeen = issues.some((i) => i.problem === CONFIDENTIAL);
  for (const issue of parsed.error.issues) {
    // confidentialIssues already named these, at the path they have in the document
    if (issue.code === 'custom' && confidentialSeen && (CONFIDENTIAL_LOCATION_FORBIDDEN as readonly PropertyKey[]).includes(issue.path.at(-1) ?? '')) continue;
    const [first, index, ...rest] = issue.path;
    const base = first === 'services' && typeof index === 'number' ? joinPath(servicePaths[index] ?? '', ...keys(rest)) : joinPath(record.path, ...keys(issue.path));
    issues.push({ path: base, problem: issue.code === 'invalid_union' ? 'invalid_value' : issue.code });
  }
  if (issues.length === before && !confidentialSeen) issues.push({ path: joinPath(record.path), problem: 'invalid_profile' });
  return undefined;
}

const keys = (path: readonly PropertyKey[]) => path.map((k) => (typeof k === 'number' ? k : String(k)));

function organizationCorridor(record: OrgRecord, defaults: ImportDefaults, issues: FieldIssue[]): HsdsObject | undefined {
  const country = addressCountry(record) ?? defaults.country;
  if (country === undefined) {
    issues.push({ path: joinPath(record.path, 'corridor', 'country'), problem: 'required' });
    return undefined;
  }
  return { country };
}

/** The first ISO 3166-1 alpha-2 country among the organisation's location addresses. */
function addressCountry(record: OrgRecord): string | undefined {
  const locations = [
    ...(Array.isArray(record.org.locations) ? record.org.locations : []),
    ...record.services.flatMap((s) => (Array.isArray(s.service.service_at_locations) ? s.service.service_at_locations : []).map((sal: unknown) => (isObject(sal) ? sal.location : undefined))),
  ];
  for (const location of locations) {
    if (!isObject(location) || !Array.isArray(location.addresses)) continue;
    for (const address of location.addresses as unknown[]) {
      const code = isObject(address) && typeof address.country === 'string' ? address.country.trim().toUpperCase() : '';
      if (CountryCode.safeParse(code).success) return code;
    }
  }
  return undefined;
}

function toService({ service, path }: ServiceRecord, defaults: ImportDefaults, issues: FieldIssue[]): HsdsObject {
  const facts = readCorridorAttributes(service.attributes, path);
  issues.push(...facts.issues);
  const { attributes: _all, ...rest } = service;
  const out: HsdsObject = facts.rest ? { ...rest, attributes: facts.rest } : rest;
  if (service.corridor !== undefined) return out;
  const types = facts.types.length > 0 ? facts.types : defaults.types;
  if (types === undefined || types.length === 0) {
    issues.push({ path: joinPath(path, 'corridor', 'types'), problem: 'required' });
    return out;
  }
  const served = facts.served.length > 0 ? facts.served : (defaults.served ?? []);
  return { ...out, corridor: { types: [...types], served: [...served] } };
}

/** Where a location can sit in an HSDS document; the walk follows only these keys, so a path never carries a key the publisher made up. */
const LOCATION_CARRIERS = ['contents', 'organization', 'locations', 'services', 'service_at_locations', 'location', 'service'];

/** Paths of forbidden details on every location marked confidential, wherever it sits. */
function confidentialIssues(value: unknown, path: string): FieldIssue[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => confidentialIssues(v, joinPath(path, i)));
  if (!isObject(value)) return [];
  const out: FieldIssue[] = [];
  if (isObject(value.corridor) && value.corridor.confidential === true) {
    for (const key of CONFIDENTIAL_LOCATION_FORBIDDEN) {
      if (value[key] !== undefined) out.push({ path: joinPath(path, key), problem: CONFIDENTIAL });
    }
  }
  for (const key of LOCATION_CARRIERS) {
    if (typeof value[key] === 'object' && value[key] !== null) out.push(...confidentialIssues(value[key], joinPath(path, key)));
  }
  return out;
}

/** `"\"+44 1234 234567\""` (official example) → `+44 1234 234567`. */
function unquotePhones(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) unquotePhones(v);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'phones' && Array.isArray(child)) {
      for (const phone of child) {
        if (isObject(phone) && typeof phone.number === 'string') phone.number = phone.number.replace(/^\s*"(.*)"\s*$/, '$1');
      }
    }
    unquotePhones(child);
  }
}

/** One issue per path; a path whose child already has an issue adds nothing. */
function dedupe(issues: FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (seen.has(issue.path) || issues.some((other) => other.path.startsWith(`${issue.path}/`))) return false;
    seen.add(issue.path);
    return true;
  });
}
