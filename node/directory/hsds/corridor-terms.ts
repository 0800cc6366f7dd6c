import { SERVED_GROUPS, SERVICE_TYPES, type CorridorService, type FieldIssue, type ServedGroup, type ServiceType, sha256 } from '../../../protocol/index.js';

/**
 * The Corridor facts in HSDS-native form, for consumers who do not know our profile: a service's
 * types and served groups travel as `attributes` whose `taxonomy_term` belongs to the taxonomy
 * named "corridor" (types with link_type `service_type`, served groups with `audience`). Ids are
 * derived from the names (RFC 9562 version 8 over SHA-256), so every export gives the same ids.
 */

export const CORRIDOR_TAXONOMY = 'corridor';

type HsdsObject = Record<string, unknown>;

const encoder = new TextEncoder();

/** A deterministic UUID (version 8, SHA-256 of the parts) for ids HSDS wants as `format: uuid`. */
export function stableUuid(...parts: string[]): string {
  const bytes = sha256(encoder.encode(['corridor-hsds', ...parts].join('\u0000'))).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const TAXONOMY_DETAIL = {
  id: stableUuid('taxonomy', CORRIDOR_TAXONOMY),
  name: CORRIDOR_TAXONOMY,
  description: 'Corridor service types (after the TRM guidelines\' assistance measures) and the groups a service is for',
  version: '1',
};

const label = (code: string) => code.charAt(0).toUpperCase() + code.slice(1).replaceAll('_', ' ');

function attribute(serviceId: string, linkType: 'service_type' | 'audience', code: string): HsdsObject {
  const termId = stableUuid('term', CORRIDOR_TAXONOMY, code);
  return {
    id: stableUuid('attribute', serviceId, linkType, code),
    taxonomy_term_id: termId,
    link_type: linkType,
    link_entity: 'service',
    value: code,
    taxonomy_term: {
      id: termId,
      code,
      name: label(code),
      description: linkType === 'service_type' ? 'Corridor service type' : 'Corridor served group',
      taxonomy: CORRIDOR_TAXONOMY,
      taxonomy_id: TAXONOMY_DETAIL.id,
      taxonomy_detail: TAXONOMY_DETAIL,
    },
  };
}

/** The attributes that state a service's types and served groups in HSDS terms. */
export function corridorAttributes(serviceId: string, corridor: CorridorService): HsdsObject[] {
  return [
    ...corridor.types.map((code) => attribute(serviceId, 'service_type', code)),
    ...corridor.served.map((code) => attribute(serviceId, 'audience', code)),
  ];
}

/** Whether an attribute carries a term of the corridor taxonomy (the export writes these). */
export function isCorridorAttribute(value: unknown): boolean {
  if (!isObject(value) || !isObject(value.taxonomy_term)) return false;
  return value.taxonomy_term.taxonomy === CORRIDOR_TAXONOMY;
}

export interface CorridorAttributeFacts {
  types: ServiceType[];
  served: ServedGroup[];
  /** the service's attributes without the corridor ones; undefined when none is left */
  rest: unknown[] | undefined;
  issues: FieldIssue[];
}

/** Reads types and served groups from a service's corridor attributes (`path` is the service's). */
export function readCorridorAttributes(attributes: unknown, path: string): CorridorAttributeFacts {
  const facts: CorridorAttributeFacts = { types: [], served: [], rest: undefined, issues: [] };
  if (!Array.isArray(attributes)) return facts;
  const rest: unknown[] = [];
  attributes.forEach((attr, i) => {
    if (!isCorridorAttribute(attr)) {
      rest.push(attr);
      return;
    }
    const code = ((attr as HsdsObject).taxonomy_term as HsdsObject).code;
    if ((SERVICE_TYPES as readonly unknown[]).includes(code)) pushOnce(facts.types, code as ServiceType);
    else if ((SERVED_GROUPS as readonly unknown[]).includes(code)) pushOnce(facts.served, code as ServedGroup);
    else facts.issues.push({ path: joinPath(path, 'attributes', i, 'taxonomy_term', 'code'), problem: 'unknown_corridor_code' });
  });
  facts.rest = rest.length > 0 ? rest : undefined;
  return facts;
}

function pushOnce<T>(list: T[], item: T): void {
  if (!list.includes(item)) list.push(item);
}

export function isObject(value: unknown): value is HsdsObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins path segments the way validate.ts reports them: `contents/0/services/2/status`. */
export function joinPath(base: string, ...parts: (string | number)[]): string {
  const head = base === '(root)' ? '' : base;
  const all = [head, ...parts.map(String)].filter((p) => p !== '');
  return all.length === 0 ? '(root)' : all.join('/');
}
