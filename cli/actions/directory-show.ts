import { type OrgDetail, directoryApi } from '../api/directory.js';
import { EXIT } from '../errors.js';
import type { ActionContext } from './context.js';
import { joined, licenceText, servedWord, typeWord } from './words.js';

/**
 * `corridor directory show <org>`: name, the key fingerprint to read aloud, the nodes and their
 * keys' validity, and each service with its facts. The profile is another organisation's signed
 * content: every field is read defensively and what cannot be read is left out.
 */
export async function directoryShow({ client, out, t }: ActionContext, org: string): Promise<number> {
  const d = await directoryApi.org(client, org);
  if (out.json) {
    out.data(d);
    return EXIT.ok;
  }
  const profile = d.profile;
  out.line(out.style('strong', t('show.heading', { name: d.name, org: d.org })));
  const description = str(profile.description);
  if (description) out.line(description);
  if (obj(profile.corridor).demo === true) out.line(out.style('warn', t('show.demo')));
  out.line(t('show.fingerprint', { fingerprint: d.orgKey.fingerprint }));
  out.line(t('show.entry', { seq: String(d.seq) }));
  contactLines({ out, t }, profile);

  if (d.nodes.length === 0) {
    out.line(out.style('warn', t('show.listedBy', { by: d.listedBy ?? t('none') })));
  }
  for (const node of d.nodes) nodeLines({ out, t }, node);

  out.line();
  out.line(out.style('strong', t('show.services')));
  const services = arr(profile.services).map(obj);
  if (services.length === 0) out.line(`  ${t('show.noServices')}`);
  for (const service of services) serviceLines({ out, t }, service);
  return EXIT.ok;
}

type Ctx = Pick<ActionContext, 'out' | 't'>;
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim().length > 0 ? v.trim() : undefined);
const strs = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string' && x.length > 0);

function nodeLines({ out, t }: Ctx, node: OrgDetail['nodes'][number]): void {
  out.line(t('show.node', { node: node.node, url: node.url, protocols: node.protocols.join(', ') }));
  for (const key of node.keys) {
    if (key.compromisedSince !== undefined) out.line(`  ${out.style('bad', t('show.keyCompromised', { kid: key.kid, date: out.date(key.compromisedSince) }))}`);
    else if (key.revokedAt !== undefined) out.line(`  ${out.style('warn', t('show.keyRevoked', { kid: key.kid, date: out.date(key.revokedAt) }))}`);
    else out.line(`  ${t('show.key', { kid: key.kid, from: out.date(key.notBefore), until: out.date(key.notAfter) })}`);
  }
}

function contactLines({ out, t }: Ctx, item: Obj, indent = ''): void {
  const phones = arr(item.phones)
    .map((p) => (typeof p === 'string' ? p : str(obj(p).number)))
    .filter((p): p is string => p !== undefined);
  if (phones.length > 0) out.line(`${indent}${t('show.phones', { phones: phones.join(', ') })}`);
  const email = str(item.email);
  if (email) out.line(`${indent}${t('show.email', { email })}`);
  const web = str(item.website) ?? str(item.url);
  if (web) out.line(`${indent}${t('show.web', { url: web })}`);
}

function serviceLines({ out, t }: Ctx, service: Obj): void {
  const c = obj(service.corridor);
  out.line(`- ${str(service.name) ?? str(service.id) ?? t('none')}`);
  const pad = '    ';
  const description = str(service.description);
  if (description) out.line(`${pad}${description}`);
  out.line(`${pad}${t('show.types', { types: joined(strs(c.types).map((x) => typeWord(t, x)), t) })}`);
  out.line(`${pad}${t('show.served', { groups: joined(strs(c.served).map((x) => servedWord(t, x)), t) })}`);
  const languages = arr(service.languages)
    .map((l) => (typeof l === 'string' ? l : (str(obj(l).code) ?? str(obj(l).name))))
    .filter((l): l is string => l !== undefined);
  if (languages.length > 0) out.line(`${pad}${t('show.languages', { languages: languages.map((l) => out.language(l)).join(', ') })}`);
  const interpretation = strs(c.interpretation);
  if (interpretation.length > 0) out.line(`${pad}${t('show.interpretation', { languages: interpretation.map((l) => out.language(l)).join(', ') })}`);
  if (c.hotline24h === true) out.line(`${pad}${t('show.hotline')}`);
  const licence = obj(c.licence);
  const issuer = str(licence.issuer);
  if (issuer && str(licence.validUntil) && str(licence.status)) {
    const status = licenceText(t, out, { validUntil: String(licence.validUntil), status: String(licence.status) });
    out.line(`${pad}${t('show.licence', { issuer, status })}`);
  }
  const places = arr(c.areas)
    .map(obj)
    .map((a) => [str(a.city), str(a.country) ? out.country(String(a.country)) : undefined].filter(Boolean).join(', '))
    .filter((p) => p.length > 0);
  if (places.length > 0) out.line(`${pad}${t('show.areas', { places: places.join('; ') })}`);
  const locations = arr(service.service_at_locations).map((sal) => obj(obj(sal).location));
  if (locations.some((l) => obj(l.corridor).confidential === true)) out.line(`${pad}${t('show.confidential')}`);
  contactLines({ out, t }, service, pad);
}
