import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportHsds } from '../../node/directory/hsds/export.js';
import { type ImportDefaults, importHsds } from '../../node/directory/hsds/import.js';
import { SHIPPED_SCHEMA_DIR, createHsdsValidator } from '../../node/directory/hsds/validate.js';
import { WYCHEPROOF_DIR } from '../helpers/vectors.js';

// the official HSDS 3.0 files sit beside the Wycheproof vectors in ../shared/testdata/
const HSDS_DIR = new URL('../hsds-3.0/', WYCHEPROOF_DIR);
const OFFICIAL_SCHEMA_DIR = new URL('schema/', HSDS_DIR);
const official = createHsdsValidator(OFFICIAL_SCHEMA_DIR);
const example = (name: string): unknown => JSON.parse(readFileSync(new URL(`examples/${name}`, HSDS_DIR), 'utf8'));
const DEFAULTS: ImportDefaults = { types: ['psychosocial'], served: ['women', 'men'], country: 'GB' };

/** every example, the kind it is read as and how many organisations it holds */
const EXAMPLES: Record<string, { kind: string; profiles: number }> = {
  'base.json': { kind: 'api_root', profiles: 0 },
  'location.json': { kind: 'location', profiles: 0 },
  'organization_full.json': { kind: 'organization', profiles: 1 },
  'organization_list.json': { kind: 'organization_list', profiles: 1 },
  'service_at_location_full.json': { kind: 'service_at_location', profiles: 1 },
  'service_at_location_list.json': { kind: 'service_at_location_list', profiles: 1 },
  'service_full.json': { kind: 'service', profiles: 1 },
  'service_list.json': { kind: 'service_list', profiles: 1 },
  'taxonomy.json': { kind: 'taxonomy', profiles: 0 },
  'taxonomy_list.json': { kind: 'taxonomy_list', profiles: 0 },
  'taxonomy_term.json': { kind: 'taxonomy_term', profiles: 0 },
  'taxonomy_term_list.json': { kind: 'taxonomy_term_list', profiles: 0 },
};

describe('HSDS schemas shipped with the product', () => {
  const officialFiles = readdirSync(OFFICIAL_SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort();

  it('ships every official non-compiled schema file, byte for byte', () => {
    expect(officialFiles).toHaveLength(22);
    const shipped = readdirSync(SHIPPED_SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(shipped).toEqual(officialFiles);
    for (const file of officialFiles) {
      const mine = readFileSync(new URL(file, SHIPPED_SCHEMA_DIR));
      expect(mine.equals(readFileSync(new URL(file, OFFICIAL_SCHEMA_DIR))), file).toBe(true);
    }
  });

  it('ships the licence and the source note with them', () => {
    for (const file of ['LICENSE', 'SOURCE']) {
      expect(readFileSync(new URL(file, SHIPPED_SCHEMA_DIR)).equals(readFileSync(new URL(file, HSDS_DIR))), file).toBe(true);
    }
    expect(readFileSync(new URL('LICENSE', SHIPPED_SCHEMA_DIR), 'utf8')).toContain('Attribution Share-Alike 4.0');
  });

  it('loads the schemas relative to the module, not to the working directory', () => {
    expect(fileURLToPath(SHIPPED_SCHEMA_DIR)).toMatch(/node\/directory\/hsds\/schema\/$/);
  });
});

describe('every official HSDS 3.0 example imports', () => {
  const files = readdirSync(new URL('examples/', HSDS_DIR)).filter((f) => f.endsWith('.json') && f !== 'tabular.json').sort();

  it('covers every example file there is', () => {
    expect(files).toEqual(Object.keys(EXAMPLES).sort());
  });

  for (const [file, expected] of Object.entries(EXAMPLES)) {
    it(`${file} imports as ${expected.kind}, and its export validates against the official schemas`, () => {
      const imported = importHsds(example(file), { defaults: DEFAULTS, validator: official });
      expect(imported).toMatchObject({ ok: true });
      if (!imported.ok) return;
      expect(imported.value.kind).toBe(expected.kind);
      expect(imported.value.profiles).toHaveLength(expected.profiles);
      const exported = exportHsds(imported.value.profiles, { validator: official });
      expect(exported).toMatchObject({ ok: true });
      if (!exported.ok) return;
      expect(official.validate('organization_list', exported.value)).toEqual([]);
      // each exported service also validates as a service on its own
      for (const org of exported.value.contents) {
        for (const service of org.services as unknown[]) expect(official.validate('service', service)).toEqual([]);
      }
    });
  }

  it('keeps what the example says and survives its quirks', () => {
    const imported = importHsds(example('organization_full.json'), { defaults: DEFAULTS, validator: official });
    if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
    const [org] = imported.value.profiles;
    // the country comes from the location's address, not from the defaults
    expect(org?.corridor).toEqual({ country: 'US' });
    expect(org?.name).toBe('Example Organization Inc.');
    const service = org?.services[0] as Record<string, unknown> & { corridor: unknown };
    expect(service.corridor).toEqual({ types: ['psychosocial'], served: ['women', 'men'] });
    expect((service.phones as { number: string }[])[0]?.number).toBe('+44 1234 234567');
    const schedule = (service.schedules as Record<string, unknown>[])[0];
    expect(schedule).toMatchObject({ timezone: 3, opens_at: '10:00:00', closes_at: '18:00:00' });
    expect(service.wait_time).toBe('wait_time');
    // the example's own attribute (not the corridor taxonomy) stays as it came
    expect((service.attributes as { id: string }[]).map((a) => a.id)).toEqual(['ae58cc39-8b70-4ab1-8aea-786882e5ac8e']);
  });

  it('groups the service of a service_at_location under its organisation, with the location', () => {
    const imported = importHsds(example('service_at_location_full.json'), { defaults: DEFAULTS, validator: official });
    if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
    const [org] = imported.value.profiles;
    expect(org?.id).toBe('d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610');
    expect(org?.services.map((s) => s.id)).toEqual(['ac148810-d857-441c-9679-408f346de14b']);
    const sal = org?.services[0]?.service_at_locations?.[0] as Record<string, unknown>;
    expect(sal.id).toBe('e94c9f38-1e8f-4564-91d4-d53501ab1765');
    expect(sal.service).toBeUndefined();
    expect((sal.location as { id: string }).id).toBe('3a19ff88-4620-4d17-9830-ac1d859eb5d5');
    expect(org?.services[0]).not.toHaveProperty('organization');
  });

  it('returns standalone locations, taxonomies and terms apart from the profiles', () => {
    const location = importHsds(example('location.json'), { validator: official });
    const terms = importHsds(example('taxonomy_term_list.json'), { validator: official });
    expect(location.ok && location.value.locations.map((l) => l.id)).toEqual(['3a19ff88-4620-4d17-9830-ac1d859eb5d5']);
    expect(terms.ok && terms.value.taxonomyTerms.map((t) => t.code)).toEqual(['code']);
  });
});

describe('plain HSDS without the facts Corridor needs', () => {
  it('names the path of a service without a type, and of an organisation without a country', () => {
    const full = importHsds(example('organization_full.json'), { validator: official });
    expect(full).toEqual({ ok: false, code: 'SchemaViolation', issues: [{ path: 'services/0/corridor/types', problem: 'required' }] });
    const list = importHsds(example('organization_list.json'), { defaults: { types: ['shelter'] }, validator: official });
    expect(list).toEqual({ ok: false, code: 'SchemaViolation', issues: [{ path: 'contents/0/corridor/country', problem: 'required' }] });
    const services = importHsds(example('service_list.json'), { validator: official });
    expect(services.ok ? [] : services.issues).toEqual([
      { path: 'contents/0/organization/corridor/country', problem: 'required' },
      { path: 'contents/0/corridor/types', problem: 'required' },
    ]);
  });

  it('refuses the tabular form with a clear problem', () => {
    expect(importHsds(example('tabular.json'), { defaults: DEFAULTS, validator: official })).toEqual({
      ok: false,
      code: 'SchemaViolation',
      issues: [{ path: '(root)', problem: 'tabular_not_supported_export_json' }],
    });
  });

  it('refuses what is not HSDS at all', () => {
    expect(importHsds([1, 2], { validator: official })).toMatchObject({ ok: false, issues: [{ path: '(root)', problem: 'unknown_hsds_kind' }] });
    expect(importHsds({ version: '2.0', profile: 'x' })).toMatchObject({ ok: false, issues: [{ path: 'version', problem: 'unsupported_hsds_version' }] });
  });

  it('validates against the shipped copy when no validator is given', () => {
    expect(importHsds(example('organization_full.json'), { defaults: DEFAULTS })).toMatchObject({ ok: true });
  });
});
