import { describe, expect, it } from 'vitest';
import {
  type DirectoryEntry,
  type Member,
  OrgProfile,
  PROTOCOL_VERSION,
  SigningKey,
  type StewardSet,
  nextVersion,
  sha256,
  signEntry,
  signVersion,
  toBase64Url,
  verifyDirectoryManifest,
  verifyEntry,
} from '../../protocol/index.js';
import { DAY, T0, astra, lefoe, openGate } from '../helpers/keys.js';

/**
 * The stewards' side: the next version from the held one and submitted entries. A member keeps
 * the key the directory binds; a new member needs an admitted key; a listing is signed by its
 * lister and carries no node; an older or equal seq is not newer. And the profile's rules: a
 * confidential location is a contact point only.
 */

const stewards = [1, 2, 3].map((i) => SigningKey.fromSeed('org', sha256(new TextEncoder().encode(`publish steward ${i}`))));
const STEWARDS: StewardSet = { keys: stewards.map((k) => ({ kid: k.kid, publicKey: toBase64Url(k.publicKey) })), threshold: 2 };
const memberOf = (o: { org: string; orgKey: SigningKey }): Member => ({ org: o.org, kid: o.orgKey.kid, publicKey: toBase64Url(o.orgKey.publicKey) });

const profile = (id: string, name: string, extra: Partial<OrgProfile> = {}): OrgProfile => ({
  id,
  name,
  description: `${name}, assisting presumed victims of trafficking`,
  corridor: { country: 'RS' },
  services: [{ id: `${id}-s1`, name: 'Legal aid', status: 'active', corridor: { types: ['legal_aid'], served: ['women'] } }],
  ...extra,
});
const entry = (org: string, seq: number, over: Partial<DirectoryEntry> = {}): DirectoryEntry => ({
  v: PROTOCOL_VERSION,
  org,
  seq,
  updated: T0,
  name: org,
  profile: profile(`${org}-hsds`, org),
  nodes: [],
  ...over,
});

describe('the next directory version (stewards)', () => {
  const first = nextVersion({
    held: null,
    network: 'western-balkans',
    submissions: [signEntry(astra.orgKey, entry(astra.org, 1)).bytes, signEntry(lefoe.orgKey, entry(lefoe.org, 1)).bytes],
    admit: [memberOf(astra), memberOf(lefoe)],
    stewards: STEWARDS,
    issued: T0,
    expires: T0 + 30 * DAY,
  });

  it('a genesis from admitted members verifies under the stewards, entries bound to their own keys', () => {
    if (!first.ok) throw new Error('refused');
    const { manifest, entries, skipped } = first.value;
    expect(skipped).toEqual([]);
    expect(manifest).toMatchObject({ version: 1, network: 'western-balkans', issued: T0, expires: T0 + 30 * DAY });
    expect(manifest.entries.map((e) => e.org)).toEqual([astra.org, lefoe.org].sort());
    const { signed } = signVersion(manifest, stewards.slice(0, 2));
    expect(verifyDirectoryManifest(signed, STEWARDS)).toMatchObject({ ok: true });
    for (const ref of manifest.entries) expect(verifyEntry(entries.get(ref.hash) ?? new Uint8Array(), ref).ok).toBe(true);
  });

  it('skips what it cannot bind: an unknown organisation, a wrong key, an entry that is not newer, a listing by a non-member', () => {
    if (!first.ok) throw new Error('refused');
    const held = first.value.manifest;
    const next = nextVersion({
      held,
      network: 'western-balkans',
      submissions: [
        signEntry(openGate.orgKey, entry(openGate.org, 1)).bytes, // not admitted
        signEntry(lefoe.orgKey, entry(astra.org, 2)).bytes, // ASTRA's entry signed by LEFÖ's key
        signEntry(lefoe.orgKey, entry(lefoe.org, 1)).bytes, // not newer
        signEntry(openGate.orgKey, entry('org:shelter-x', 1, { listedBy: openGate.org })).bytes, // lister unknown
        new TextEncoder().encode('{"not":"an entry"}'),
        signEntry(astra.orgKey, entry(astra.org, 2, { name: 'ASTRA, new name' })).bytes,
      ],
      issued: T0 + DAY,
      expires: T0 + 31 * DAY,
    });
    if (!next.ok) throw new Error('refused');
    expect(next.value.skipped).toEqual([
      { index: 0, org: openGate.org, problem: 'UnknownOrganisation' },
      { index: 1, org: astra.org, problem: 'BadSignature' },
      { index: 2, org: lefoe.org, problem: 'NotNewer' },
      { index: 3, org: 'org:shelter-x', problem: 'UnknownLister' },
      { index: 4, problem: 'Malformed' },
    ]);
    expect(next.value.manifest.version).toBe(2);
    expect(next.value.manifest.entries.find((e) => e.org === astra.org)?.seq).toBe(2);
    expect(next.value.manifest.stewards).toEqual(STEWARDS);
  });

  it('a listing is signed by its lister, bound to the lister key, and goes when the lister leaves; it cannot replace a self-published entry', () => {
    if (!first.ok) throw new Error('refused');
    const listing = signEntry(astra.orgKey, entry('org:safe-house-belgrade', 1, { listedBy: astra.org }));
    const withListing = nextVersion({ held: first.value.manifest, network: 'western-balkans', submissions: [listing.bytes], issued: T0, expires: T0 + DAY });
    if (!withListing.ok) throw new Error('refused');
    const ref = withListing.value.manifest.entries.find((e) => e.org === 'org:safe-house-belgrade');
    expect(ref).toMatchObject({ listedBy: astra.org, orgKey: { kid: astra.orgKey.kid } });
    // a listing of LEFÖ-IBF by ASTRA is refused: LEFÖ-IBF publishes itself
    const hijack = nextVersion({ held: withListing.value.manifest, network: 'western-balkans', submissions: [signEntry(astra.orgKey, entry(lefoe.org, 5, { listedBy: astra.org })).bytes], issued: T0, expires: T0 + DAY });
    expect(hijack.ok && hijack.value.skipped).toEqual([{ index: 0, org: lefoe.org, problem: 'BadSignature' }]);
    // ASTRA leaves: its listing goes with it
    const gone = nextVersion({ held: withListing.value.manifest, network: 'western-balkans', submissions: [], remove: [astra.org], issued: T0, expires: T0 + DAY });
    expect(gone.ok && gone.value.manifest.entries.map((e) => e.org)).toEqual([lefoe.org]);
    // a listing with a node is refused by the entry schema itself
    expect(() => signEntry(astra.orgKey, entry('org:safe-house-2', 1, { listedBy: astra.org, nodes: [{ node: 'node:x', url: 'https://x.example/', protocols: ['corridor/1'], maxBytes: 1, nodeKeys: [], revocations: [] }] }))).toThrow();
  });

  it('an org key rotation (rekey) binds the new key; the old key no longer signs for the organisation', () => {
    if (!first.ok) throw new Error('refused');
    const newKey = SigningKey.fromSeed('org', sha256(new TextEncoder().encode('astra org key 2027')));
    const rekey = [{ org: astra.org, kid: newKey.kid, publicKey: toBase64Url(newKey.publicKey) }];
    const byOld = nextVersion({ held: first.value.manifest, network: 'western-balkans', submissions: [signEntry(astra.orgKey, entry(astra.org, 2)).bytes], rekey, issued: T0, expires: T0 + DAY });
    expect(byOld.ok && byOld.value.skipped).toEqual([{ index: 0, org: astra.org, problem: 'BadSignature' }]);
    const byNew = nextVersion({ held: first.value.manifest, network: 'western-balkans', submissions: [signEntry(newKey, entry(astra.org, 2)).bytes], rekey, issued: T0, expires: T0 + DAY });
    expect(byNew.ok && byNew.value.manifest.entries.find((e) => e.org === astra.org)?.orgKey.kid).toBe(newKey.kid);
  });
});

describe('the Corridor profile', () => {
  it('a confidential location is a contact point: an address, coordinates or directions are refused by path', () => {
    const shelter = (location: Record<string, unknown>) =>
      OrgProfile.safeParse(profile('p1', 'Shelter', { locations: [{ id: 'l1', location_type: 'physical', corridor: { confidential: true }, ...location }] }));
    expect(shelter({ phones: [{ id: 'ph', number: '+000' }] }).success).toBe(true);
    for (const key of ['addresses', 'latitude', 'longitude', 'transportation', 'external_identifier']) {
      const result = shelter({ [key]: key === 'addresses' ? [{ city: 'Beograd' }] : 1 });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([`locations.0.${key}`]);
    }
    // the same fields on a public location are fine
    expect(OrgProfile.safeParse(profile('p1', 'Office', { locations: [{ id: 'l1', location_type: 'physical', latitude: 44.8, addresses: [] }] })).success).toBe(true);
  });
});
