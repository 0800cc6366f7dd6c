import { type OrgProfile, type Result, fail, ok } from '../../../protocol/index.js';
import { corridorAttributes, isCorridorAttribute } from './corridor-terms.js';
import { type HsdsValidator, validateHsds } from './validate.js';

/**
 * Corridor profiles out as HSDS 3.0 JSON: an organization Page list (as `GET /organizations`
 * answers) with each organisation's services nested as in organization_full. The `corridor`
 * extension objects stay; service types and served groups are also written as attributes of the
 * taxonomy "corridor" (corridor-terms.ts), which importHsds reads back and drops again, so
 * `importHsds(exportHsds(x))` gives x back. The output is checked against the official schemas
 * before it is returned: a profile that is not valid HSDS (an id that is not a UUID, say) is
 * refused with the paths, never exported half-valid.
 */

type HsdsObject = Record<string, unknown>;

export interface ExportOptions {
  /** 1-based; default 1 */
  pageNumber?: number;
  /** organisations per page; default all of them on one page */
  pageSize?: number;
  /** the schemas to check against (tests pass the official files) */
  validator?: HsdsValidator;
}

export interface HsdsPage {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: HsdsObject[];
}

/** One profile as an HSDS organization with its services, not yet checked. */
export function toHsdsOrganization(profile: OrgProfile): HsdsObject {
  const copy = structuredClone(profile) as HsdsObject & OrgProfile;
  return {
    ...copy,
    services: copy.services.map((service) => {
      const own = Array.isArray(service.attributes) ? (service.attributes as unknown[]).filter((a) => !isCorridorAttribute(a)) : [];
      return { ...service, attributes: [...own, ...corridorAttributes(service.id, service.corridor)] };
    }),
  };
}

/** A single organisation (as `GET /organizations/{id}` answers), checked against the schemas. */
export function exportHsdsOrganization(profile: OrgProfile, options: Pick<ExportOptions, 'validator'> = {}): Result<HsdsObject, 'SchemaViolation'> {
  const organization = toHsdsOrganization(profile);
  const issues = options.validator ? options.validator.validate('organization', organization) : validateHsds('organization', organization);
  return issues.length > 0 ? fail('SchemaViolation', issues) : ok(organization);
}

/** A page of organisations, checked against the schemas. */
export function exportHsds(profiles: readonly OrgProfile[], options: ExportOptions = {}): Result<HsdsPage, 'SchemaViolation'> {
  const size = options.pageSize ?? Math.max(1, profiles.length);
  const pageNumber = options.pageNumber ?? 1;
  if (!Number.isInteger(size) || size < 1) return fail('SchemaViolation', [{ path: 'size', problem: 'too_small' }]);
  const totalPages = Math.max(1, Math.ceil(profiles.length / size));
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > totalPages) return fail('SchemaViolation', [{ path: 'page_number', problem: 'too_big' }]);
  const contents = profiles.slice((pageNumber - 1) * size, pageNumber * size).map(toHsdsOrganization);
  const page: HsdsPage = {
    total_items: profiles.length,
    total_pages: totalPages,
    page_number: pageNumber,
    size: contents.length,
    first_page: pageNumber === 1,
    last_page: pageNumber === totalPages,
    empty: contents.length === 0,
    contents,
  };
  const issues = options.validator ? options.validator.validate('organization_list', page) : validateHsds('organization_list', page);
  return issues.length > 0 ? fail('SchemaViolation', issues) : ok(page);
}
