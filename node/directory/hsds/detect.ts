import { isObject } from './corridor-terms.js';
import { HSDS_ITEM_KINDS, type HsdsItemKind, type HsdsKind } from './validate.js';

/**
 * What an HSDS document is, from its shape (the official examples show every form): one object
 * or a Page list of them, the API root (`GET /`), or the tabular form (a map of CSV table names
 * to rows). An object with only id, name and description is read as an organization; the
 * operator can name the kind when a document is ambiguous.
 */
export type DetectedKind = HsdsKind | 'api_root' | 'tabular' | 'unknown';

const ORGANIZATION_ONLY = [
  'services', 'locations', 'email', 'website', 'alternate_name', 'legal_status', 'tax_status', 'tax_id',
  'year_incorporated', 'logo', 'parent_organization_id', 'funding', 'contacts', 'phones', 'programs',
  'organization_identifiers', 'attributes', 'corridor',
];
const TAXONOMY_TERM_ONLY = ['code', 'parent_id', 'taxonomy', 'taxonomy_detail', 'taxonomy_id', 'term_uri', 'language'];

export function detectItemKind(item: unknown): HsdsItemKind | 'unknown' {
  if (!isObject(item)) return 'unknown';
  const has = (key: string) => Object.hasOwn(item, key);
  if (has('location_type')) return 'location';
  if (has('status')) return 'service';
  if (has('service') || (has('service_id') && has('location_id')) || (has('location') && !has('name'))) return 'service_at_location';
  if (TAXONOMY_TERM_ONLY.some(has)) return 'taxonomy_term';
  if (ORGANIZATION_ONLY.some(has)) return 'organization';
  if (has('version')) return 'taxonomy';
  if (has('id') && has('name')) return 'organization';
  return 'unknown';
}

export function detectKind(document: unknown): DetectedKind {
  if (!isObject(document)) return 'unknown';
  const keys = Object.keys(document);
  if (keys.length > 0 && keys.every((k) => k.endsWith('.csv'))) return 'tabular';
  if (Array.isArray(document.contents)) {
    // an empty page holds no organisation: read it as an empty organization list
    const first = document.contents[0];
    if (first === undefined) return 'organization_list';
    const kind = detectItemKind(first);
    return kind === 'unknown' ? 'unknown' : `${kind}_list`;
  }
  if (!Object.hasOwn(document, 'id') && (Object.hasOwn(document, 'openapi_url') || Object.hasOwn(document, 'profile'))) return 'api_root';
  return detectItemKind(document);
}

export function isHsdsKind(value: string): value is HsdsKind {
  const item = value.endsWith('_list') ? value.slice(0, -'_list'.length) : value;
  return (HSDS_ITEM_KINDS as readonly string[]).includes(item);
}
