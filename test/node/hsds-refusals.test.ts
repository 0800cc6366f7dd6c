import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportHsds } from '../../node/directory/hsds/export.js';
import { type ImportDefaults, importHsds } from '../../node/directory/hsds/import.js';
import { createHsdsValidator } from '../../node/directory/hsds/validate.js';
import type { OrgProfile } from '../../protocol/index.js';
import { WYCHEPROOF_DIR } from '../helpers/vectors.js';

const HSDS_DIR = new URL('../hsds-3.0/', WYCHEPROOF_DIR);
const official = createHsdsValidator(new URL('schema/', HSDS_DIR));
// broken copies of the examples are edited freely
type Doc = Record<string, any>;
const example = (name: string): Doc => JSON.parse(readFileSync(new URL(`examples/${name}`, HSDS_DIR), 'utf8')) as Doc;
const DEFAULTS: ImportDefaults = { types: ['legal_aid'], served: [], country: 'RS' };
const load = (doc: unknown, defaults: ImportDefaults = DEFAULTS) => importHsds(doc, { defaults, validator: official });

/** The issues of a refusal; also checks that no value of the document travels in them. */
function refusal(doc: unknown, secret: string, defaults?: ImportDefaults) {
  const result = load(doc, defaults);
  expect(result.ok).toBe(false);
  expect(JSON.stringify(result)).not.toContain(secret);
  return result.ok ? [] : (result.issues ?? []);
}

describe('a broken HSDS file is refused with the exact paths, never the values', () => {
  it('a wrong type', () => {
    const doc = example('organization_full.json');
    doc.services[0].minimum_age = 'SECRET-AGE-7731';
    doc.locations[0].latitude = 'SECRET-LAT-4410';
    expect(refusal(doc, 'SECRET-')).toEqual([
      { path: 'locations/0/latitude', problem: 'type' },
      { path: 'services/0/minimum_age', problem: 'type' },
    ]);
  });

  it('a missing required field', () => {
    const doc = example('organization_full.json');
    delete doc.name;
    delete doc.services[0].status;
    delete doc.locations[0].addresses[0].city;
    expect(refusal(doc, 'Example Organization')).toEqual([
      { path: 'name', problem: 'required' },
      { path: 'locations/0/addresses/0/city', problem: 'required' },
      { path: 'services/0/status', problem: 'required' },
    ]);
  });

  it('a value outside an enum', () => {
    const doc = example('service_list.json');
    doc.contents[0].status = 'SECRET-STATUS-0042';
    expect(refusal(doc, 'SECRET-STATUS-0042')).toEqual([{ path: 'contents/0/status', problem: 'enum' }]);
  });

  it('an id that is not a UUID', () => {
    const doc = example('organization_list.json');
    doc.contents[0].id = 'SECRET-ID-9911';
    const sal = example('service_at_location_list.json');
    sal.contents[0].location.id = 'SECRET-ID-9912';
    expect(refusal(doc, 'SECRET-ID-9911')).toEqual([{ path: 'contents/0/id', problem: 'format' }]);
    expect(refusal(sal, 'SECRET-ID-9912')).toEqual([{ path: 'contents/0/location/id', problem: 'format' }]);
  });

  it('a confidential location that carries its address or coordinates, wherever it sits', () => {
    const doc = example('organization_full.json');
    doc.locations[0].corridor = { confidential: true };
    doc.services[0].service_at_locations[0].location.corridor = { confidential: true };
    delete doc.services[0].service_at_locations[0].location.transportation;
    const issues = refusal(doc, '1-30 Main Street');
    expect(JSON.stringify(issues)).not.toContain('Metro Station');
    expect(issues).toEqual([
      ...['addresses', 'latitude', 'longitude', 'transportation', 'external_identifier'].map((key) => ({ path: `locations/0/${key}`, problem: 'confidential_location_detail' })),
      ...['addresses', 'latitude', 'longitude', 'external_identifier'].map((key) => ({ path: `services/0/service_at_locations/0/location/${key}`, problem: 'confidential_location_detail' })),
    ]);
  });

  it('a confidential location on its own, and one reached through a service_at_location', () => {
    const location = example('location.json');
    location.corridor = { confidential: true };
    delete location.addresses;
    expect(refusal(location, 'Civic Center').map((i) => i.path)).toEqual(['latitude', 'longitude', 'transportation', 'external_identifier']);
    const sal = example('service_at_location_list.json');
    sal.contents[0].location.corridor = { confidential: true };
    sal.contents[0].location.latitude = 44.8123;
    expect(refusal(sal, '44.8123').map((i) => i.path)).toEqual(['latitude', 'longitude', 'transportation', 'external_identifier'].map((key) => `contents/0/location/${key}`));
  });

  it('a confidential contact point without address imports', () => {
    const location = example('location.json');
    location.corridor = { confidential: true };
    for (const key of ['addresses', 'latitude', 'longitude', 'transportation', 'external_identifier']) delete location[key];
    expect(load(location)).toMatchObject({ ok: true, value: { kind: 'location', locations: [{ corridor: { confidential: true } }] } });
  });

  it('a corridor extension that breaks the profile, at the path the service came from', () => {
    const doc = example('service_list.json');
    doc.contents[0].corridor = { types: ['SECRET-TYPE-77'], served: ['women'], hotline24h: 'yes' };
    doc.contents[0].organization.corridor = { country: 'Serbia' };
    expect(refusal(doc, 'SECRET-TYPE-77')).toEqual([
      { path: 'contents/0/organization/corridor/country', problem: 'invalid_format' },
      { path: 'contents/0/corridor/types/0', problem: 'invalid_value' },
      { path: 'contents/0/corridor/hotline24h', problem: 'invalid_type' },
    ]);
  });

  it('a service without an organisation, or with one the document does not hold', () => {
    const doc = example('service_list.json');
    delete doc.contents[0].organization;
    expect(refusal(doc, 'Community Counselling')).toEqual([{ path: 'contents/0/organization', problem: 'required' }]);
    doc.contents[0].organization_id = '11111111-2222-4333-8444-555555555555';
    expect(refusal(doc, '11111111-2222')).toEqual([{ path: 'contents/0/organization', problem: 'organization_not_in_document' }]);
    const sal = example('service_at_location_full.json');
    delete sal.service;
    expect(refusal(sal, 'Counselling')).toEqual([{ path: 'service', problem: 'required' }]);
  });

  it('a corridor attribute with a code the taxonomy does not have', () => {
    const doc = example('service_full.json');
    doc.attributes.push({ id: '6c9a2a43-3f0e-4c38-9d7e-4c1f1a9f0f01', taxonomy_term: { id: '6c9a2a43-3f0e-4c38-9d7e-4c1f1a9f0f02', name: 'x', description: 'x', taxonomy: 'corridor', code: 'SECRET-CODE-5' } });
    expect(refusal(doc, 'SECRET-CODE-5')).toEqual([{ path: 'attributes/1/taxonomy_term/code', problem: 'unknown_corridor_code' }]);
  });

  it('reports problems of several services and organisations at once (nothing half-imported)', () => {
    const doc = example('service_list.json');
    doc.contents.push({ ...structuredClone(doc.contents[0]), id: '0f8e6a7c-1d2b-4c3a-9e8f-7a6b5c4d3e2f', organization: undefined, organization_id: undefined });
    const issues = refusal(doc, 'Counselling', { country: 'RS' });
    expect(issues).toEqual([
      { path: 'contents/1/organization', problem: 'required' },
      { path: 'contents/0/corridor/types', problem: 'required' },
    ]);
  });

  it('does not touch the document it reads', () => {
    const doc = example('organization_full.json');
    const before = JSON.stringify(doc);
    expect(load(doc).ok).toBe(true);
    expect(JSON.stringify(doc)).toBe(before);
  });
});

describe('plain HSDS that states its types as corridor attributes', () => {
  it('takes types and served groups from the attributes and drops them from the profile', () => {
    const doc = example('service_full.json');
    const term = (code: string) => ({ id: crypto.randomUUID(), taxonomy_term: { id: crypto.randomUUID(), code, name: code, description: code, taxonomy: 'corridor' } });
    doc.attributes.push(term('shelter'), term('girls'), term('psychosocial'));
    const result = load(doc, { country: 'RS' });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const service = result.value.profiles[0]?.services[0];
    expect(service?.corridor).toEqual({ types: ['shelter', 'psychosocial'], served: ['girls'] });
    expect((service?.attributes as unknown[]).length).toBe(1);
    // the address says US; the default country is only a fallback
    expect(result.value.profiles[0]?.corridor.country).toBe('US');
  });
});

describe('export refuses a profile that is not valid HSDS', () => {
  it('names the path of an id that is not a UUID', () => {
    const profile: OrgProfile = {
      id: 'org-SECRET-1',
      name: 'Astra',
      description: 'x',
      corridor: { country: 'RS' },
      services: [{ id: 'svc-SECRET-2', name: 'Hotline', status: 'active', corridor: { types: ['hotline'], served: [] } }],
    };
    const result = exportHsds([profile], { validator: official });
    expect(result).toEqual({
      ok: false,
      code: 'SchemaViolation',
      issues: [
        { path: 'contents/0/id', problem: 'format' },
        { path: 'contents/0/services/0/id', problem: 'format' },
      ],
    });
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });
});
