import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORRIDOR_TAXONOMY, stableUuid } from '../../node/directory/hsds/corridor-terms.js';
import { exportHsds, exportHsdsOrganization } from '../../node/directory/hsds/export.js';
import { importHsds } from '../../node/directory/hsds/import.js';
import { createHsdsValidator } from '../../node/directory/hsds/validate.js';
import { OrgProfile } from '../../protocol/index.js';
import { WYCHEPROOF_DIR } from '../helpers/vectors.js';

const HSDS_DIR = new URL('../hsds-3.0/', WYCHEPROOF_DIR);
const official = createHsdsValidator(new URL('schema/', HSDS_DIR));
const example = (name: string): unknown => JSON.parse(readFileSync(new URL(`examples/${name}`, HSDS_DIR), 'utf8'));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A profile that uses every Corridor field there is, with HSDS details around it. */
function richProfile(n = 1): OrgProfile {
  const id = (what: string) => stableUuid('fixture', String(n), what);
  return OrgProfile.parse({
    id: id('org'),
    name: `Astra ${n}`,
    description: 'Anti-trafficking action',
    website: 'https://astra.example',
    corridor: { country: 'RS', demo: true },
    phones: [{ id: id('org-phone'), number: '+381 11 123 4567', type: 'voice' }],
    locations: [{ id: id('office'), location_type: 'physical', name: 'Office', addresses: [{ id: id('addr'), address_1: 'Street 1', city: 'Belgrade', state_province: 'Belgrade', postal_code: '11000', country: 'RS', address_type: 'physical' }] }],
    services: [
      {
        id: id('shelter'),
        name: 'Shelter',
        status: 'active',
        description: 'A safe house',
        languages: [{ id: id('lang-sr'), code: 'sr' }],
        attributes: [{ id: id('own-attr'), link_type: 'eligibility', value: 'adults' }],
        corridor: {
          types: ['shelter', 'psychosocial', 'medical'],
          served: ['women', 'girls', 'unaccompanied_minors'],
          hotline24h: true,
          interpretation: ['ar', 'fa', 'prs'],
          licence: { issuer: 'Ministry of Labour', validUntil: '2027-12-31', status: 'valid' },
          areas: [{ country: 'RS', city: 'Novi Sad' }, { country: 'MK' }],
        },
        service_at_locations: [
          {
            id: id('sal'),
            location: { id: id('safe-house'), location_type: 'physical', name: 'Contact point', phones: [{ id: id('sh-phone'), number: '+381 11 999 0000' }], corridor: { confidential: true } },
          },
        ],
      },
      { id: id('hotline'), name: 'Hotline', status: 'temporarily closed', corridor: { types: ['hotline'], served: [] } },
    ],
  });
}

describe('round trip: import(export(x)) gives x back', () => {
  it('keeps every field of a profile that uses every Corridor field', () => {
    const profiles = [richProfile(1), richProfile(2)];
    const exported = exportHsds(profiles, { validator: official });
    if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
    const back = importHsds(JSON.parse(JSON.stringify(exported.value)), { validator: official });
    expect(back).toEqual({ ok: true, value: { kind: 'organization_list', profiles, locations: [], taxonomies: [], taxonomyTerms: [] } });
  });

  it('states types and served groups in HSDS terms too, with stable UUIDs', () => {
    const exported = exportHsds([richProfile()], { validator: official });
    if (!exported.ok) throw new Error('export failed');
    const service = (exported.value.contents[0]?.services as Record<string, unknown>[])[0];
    const attributes = service?.attributes as { id: string; link_type?: string; taxonomy_term?: { id: string; code: string; taxonomy: string } }[];
    const corridor = attributes.filter((a) => a.taxonomy_term?.taxonomy === CORRIDOR_TAXONOMY);
    expect(corridor.map((a) => [a.link_type, a.taxonomy_term?.code])).toEqual([
      ['service_type', 'shelter'],
      ['service_type', 'psychosocial'],
      ['service_type', 'medical'],
      ['audience', 'women'],
      ['audience', 'girls'],
      ['audience', 'unaccompanied_minors'],
    ]);
    for (const a of corridor) {
      expect(a.id).toMatch(UUID);
      expect(a.taxonomy_term?.id).toMatch(UUID);
    }
    // the same term has the same id in every service and every export
    expect(corridor[0]?.taxonomy_term?.id).toBe(stableUuid('term', CORRIDOR_TAXONOMY, 'shelter'));
    expect(exportHsds([richProfile()], { validator: official })).toEqual(exported);
    // the service's own attribute comes first, unchanged
    expect(attributes[0]).toEqual({ id: stableUuid('fixture', '1', 'own-attr'), link_type: 'eligibility', value: 'adults' });
    // the extension stays for consumers who know the Corridor profile
    expect(service?.corridor).toMatchObject({ hotline24h: true, licence: { status: 'valid' } });
  });

  for (const file of ['organization_full.json', 'organization_list.json', 'service_full.json', 'service_list.json', 'service_at_location_full.json', 'service_at_location_list.json']) {
    it(`${file}: import, export, import again gives the same profiles`, () => {
      const first = importHsds(example(file), { defaults: { types: ['legal_aid', 'accompaniment'], served: ['families'], country: 'BA' }, validator: official });
      if (!first.ok) throw new Error(JSON.stringify(first.issues));
      const exported = exportHsds(first.value.profiles, { validator: official });
      if (!exported.ok) throw new Error(JSON.stringify(exported.issues));
      // no defaults the second time: everything Corridor needs travels in the export
      const second = importHsds(JSON.parse(JSON.stringify(exported.value)), { validator: official });
      expect(second.ok && second.value.profiles).toEqual(first.value.profiles);
    });
  }

  it('reads the HSDS-native attributes alone when a consumer dropped the extension', () => {
    const profile = richProfile();
    const exported = exportHsdsOrganization(profile, { validator: official });
    if (!exported.ok) throw new Error('export failed');
    const stripped = JSON.parse(JSON.stringify(exported.value)) as { services: Record<string, unknown>[] };
    for (const service of stripped.services) delete service.corridor;
    const back = importHsds(stripped, { validator: official });
    if (!back.ok) throw new Error(JSON.stringify(back.issues));
    expect(back.value.profiles[0]?.services.map((s) => s.corridor)).toEqual([
      { types: ['shelter', 'psychosocial', 'medical'], served: ['women', 'girls', 'unaccompanied_minors'] },
      { types: ['hotline'], served: [] },
    ]);
  });
});

describe('export', () => {
  it('exports a single organisation that validates as an HSDS organization', () => {
    const exported = exportHsdsOrganization(richProfile(), { validator: official });
    expect(exported.ok && official.validate('organization', exported.value)).toEqual([]);
    expect(exported.ok && importHsds(exported.value, { validator: official })).toMatchObject({ ok: true, value: { kind: 'organization', profiles: [richProfile()] } });
  });

  it('pages a long list as the HSDS API does', () => {
    const profiles = [richProfile(1), richProfile(2), richProfile(3)];
    const second = exportHsds(profiles, { pageSize: 2, pageNumber: 2, validator: official });
    expect(second.ok && { ...second.value, contents: second.value.contents.map((c) => c.name) }).toEqual({
      total_items: 3,
      total_pages: 2,
      page_number: 2,
      size: 1,
      first_page: false,
      last_page: true,
      empty: false,
      contents: ['Astra 3'],
    });
    expect(exportHsds(profiles, { pageSize: 2, pageNumber: 3 })).toEqual({ ok: false, code: 'SchemaViolation', issues: [{ path: 'page_number', problem: 'too_big' }] });
  });

  it('exports an empty directory as an empty page', () => {
    const empty = exportHsds([], { validator: official });
    expect(empty).toEqual({ ok: true, value: { total_items: 0, total_pages: 1, page_number: 1, size: 0, first_page: true, last_page: true, empty: true, contents: [] } });
    expect(importHsds(empty.ok ? empty.value : null, { validator: official })).toMatchObject({ ok: true, value: { profiles: [] } });
  });
});
