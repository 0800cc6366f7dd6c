import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FieldIssue } from '../../../protocol/index.js';

/**
 * Validation against the official HSDS 3.0 schemas (JSON Schema 2020-12), shipped in ./schema/
 * (ADR 0012). Each file is registered under its filename, which resolves the relative `$ref`s
 * ("phone.json"). The Page envelope of list answers comes from the official openapi.json.
 * Problems name the path and the keyword, never a value from the document.
 */

export const HSDS_ITEM_KINDS = ['organization', 'service', 'location', 'service_at_location', 'taxonomy', 'taxonomy_term'] as const;
export type HsdsItemKind = (typeof HSDS_ITEM_KINDS)[number];
export type HsdsKind = HsdsItemKind | `${HsdsItemKind}_list`;

/** The shipped copy of the official schema files. */
export const SHIPPED_SCHEMA_DIR = new URL('./schema/', import.meta.url);

/** Frictionless / Open Referral keywords the schemas carry beside JSON Schema (domain anchors 3.3). */
const EXTRA_KEYWORDS = ['name', 'constraints', 'example', 'core', 'path', 'datapackage_metadata', 'datapackage_type', 'tabular_required'];

const MAX_ISSUES = 50;

export interface HsdsValidator {
  validate(kind: HsdsKind, document: unknown): FieldIssue[];
}

/** Where each kind is checked: the nested parts HSDS itself leaves open are checked too. */
function wrapperSchemas(): Record<HsdsKind, object> {
  const item: Record<HsdsItemKind, object> = {
    // an organization as in organization_full: its `services` are HSDS services
    organization: { type: 'object', allOf: [{ $ref: 'organization.json' }], properties: { services: { type: 'array', items: { $ref: 'service.json' } } } },
    service: { $ref: 'service.json' },
    location: { $ref: 'location.json' },
    // as in service_at_location_full: the nested `service` is an HSDS service
    service_at_location: { type: 'object', allOf: [{ $ref: 'service_at_location.json' }], properties: { service: { $ref: 'service.json' } } },
    taxonomy: { $ref: 'taxonomy.json' },
    taxonomy_term: { $ref: 'taxonomy_term.json' },
  };
  const out = { ...item } as Record<HsdsKind, object>;
  for (const kind of HSDS_ITEM_KINDS) {
    out[`${kind}_list`] = {
      type: 'object',
      allOf: [{ $ref: 'page.json' }],
      required: ['contents'],
      properties: { contents: { type: 'array', items: { $ref: `corridor-${kind}.json` } } },
    };
  }
  return out;
}

/** Builds a validator over the schema files in `schemaDir` (the shipped copy unless told). */
export function createHsdsValidator(schemaDir: URL = SHIPPED_SCHEMA_DIR): HsdsValidator {
  let compiled: Map<HsdsKind, ValidateFunction> | undefined;
  const compile = (): Map<HsdsKind, ValidateFunction> => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, logger: false });
    addFormats.default(ajv);
    for (const keyword of EXTRA_KEYWORDS) ajv.addKeyword({ keyword });
    for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.json')).sort()) {
      const schema = JSON.parse(readFileSync(new URL(file, schemaDir), 'utf8')) as Record<string, unknown>;
      if (file === 'openapi.json') ajv.addSchema(pageSchema(schema), 'page.json');
      else ajv.addSchema(schema, file);
    }
    const wrappers = wrapperSchemas();
    for (const kind of Object.keys(wrappers) as HsdsKind[]) ajv.addSchema(wrappers[kind], `corridor-${kind}.json`);
    const out = new Map<HsdsKind, ValidateFunction>();
    for (const kind of Object.keys(wrappers) as HsdsKind[]) {
      const fn = ajv.getSchema(`corridor-${kind}.json`);
      if (fn) out.set(kind, fn);
    }
    return out;
  };
  return {
    validate(kind, document) {
      compiled ??= compile();
      const fn = compiled.get(kind);
      if (!fn) return [{ path: '(root)', problem: 'unknown_kind' }];
      if (fn(document)) return [];
      return toIssues(fn.errors ?? []);
    },
  };
}

function pageSchema(openapi: Record<string, unknown>): object {
  const components = openapi.components as { schemas?: { Page?: object } } | undefined;
  const page = components?.schemas?.Page;
  if (!page) throw new Error('openapi.json has no components.schemas.Page');
  return page;
}

/** `/contents/0/services/2/status` → `contents/0/services/2/status`; the root is `(root)`. */
export function pointerToPath(pointer: string, child?: string): string {
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (child !== undefined) parts.push(child);
  return parts.length === 0 ? '(root)' : parts.join('/');
}

function toIssues(errors: readonly ErrorObject[]): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const error of errors) {
    // `allOf`/`$ref` wrappers repeat what their inner keywords already said
    if (error.keyword === 'allOf' || error.keyword === '$ref') continue;
    const missing = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
    const issue = { path: pointerToPath(error.instancePath, missing), problem: error.keyword };
    const key = `${issue.path}\u0000${issue.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return capIssues(out);
}

/** At most 50 issues (the wire limit); the last one says more were left out. */
export function capIssues(issues: FieldIssue[]): FieldIssue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  return [...issues.slice(0, MAX_ISSUES - 1), { path: '(root)', problem: 'too_many_problems' }];
}

let shipped: HsdsValidator | undefined;

/** Validates against the shipped schemas; compiled once, on first use. */
export function validateHsds(kind: HsdsKind, document: unknown): FieldIssue[] {
  shipped ??= createHsdsValidator();
  return shipped.validate(kind, document);
}
