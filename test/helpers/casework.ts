import { type DirectoryNetwork, startDirectoryNetwork } from './directory-network.js';
import type { NetworkOptions } from './network.js';

/**
 * Three real nodes with a signed directory (Open Gate, ASTRA, LEFÖ-IBF) and helpers that speak
 * their local API as the CLI would: open a case, record a consent, offer, accept, hand over.
 */

export const NAMES = ['open-gate', 'astra', 'lefoe-ibf'];

/** `options` go to the network (e.g. `web: true` for the browser tests) */
export async function startCaseworkNetwork(options: NetworkOptions = {}): Promise<DirectoryNetwork> {
  const dn = await startDirectoryNetwork(NAMES, options);
  for (const name of NAMES) await dn.submitOwn(name);
  const v1 = await dn.publish({ from: NAMES, expiresInDays: 60 });
  for (const name of NAMES) await dn.install(name, v1.body);
  for (const name of NAMES) await dn.net.nodes[name]?.node.ctx.directory.sync.fetchPrekeys();
  return dn;
}

/** A presumed victim identified by Open Gate (all invented). */
export const PERSON_CASE = {
  person: {
    givenName: 'Marija',
    familyName: 'Testović',
    dateOfBirth: '2001-04-17',
    ageBand: '18-25',
    gender: 'female',
    nationality: ['RS'],
    languages: ['sr', 'mk'],
    phone: '+381 64 555 0199',
    child: false,
  },
  status: { victimStatus: 'presumed' },
  indicators: ['withheld documents', 'debt bondage'],
  riskAssessment: { level: 'high', summary: 'Threats from the recruiter.', safetyPlan: 'No contact by phone; shelter.', revisedAt: 1_790_000_000 },
  needs: ['shelter', 'legal-aid'],
  notes: 'Met at the border crossing; wants to return to Belgrade.',
  doNotContact: { byPhone: true },
} as const;

export const CONTACT = (name: string) => ({ name, role: 'case worker', email: `${name.toLowerCase().replace(/[^a-z]+/g, '.').replace(/^\.+|\.+$/g, '')}@example.org` });

export function consentFor(now: number, processing: { recipients: string[]; purposes?: string[]; fields: string[]; onward?: string[] }) {
  return {
    given: { method: 'written', language: 'sr', interpreterPresent: true, givenBy: 'data-subject', at: now - 60 },
    processing: [
      {
        purposes: processing.purposes ?? ['referral', 'assistance'],
        recipients: processing.recipients,
        categories: ['identity', 'needs', 'risk-assessment'],
        fields: processing.fields,
        onwardSharing: { allowed: (processing.onward ?? []).length > 0, to: processing.onward ?? [] },
        retention: 'P1Y',
      },
    ],
    jurisdiction: 'MK',
    expires: now + 180 * 86_400,
    staffRef: 'staff:og-7',
  };
}

/** open a case and record its consent at `name`; returns the ids */
export async function caseWithConsent(dn: DirectoryNetwork, name: string, processing: Parameters<typeof consentFor>[1]): Promise<{ caseId: string; consentId: string }> {
  const created = await dn.api(name, 'POST', '/api/v1/cases', PERSON_CASE);
  if (created.status !== 201) throw new Error(`case: ${JSON.stringify(created.json)}`);
  const now = Math.floor(dn.net.clock.now() / 1000);
  const consent = await dn.api(name, 'POST', `/api/v1/cases/${created.json.id}/consents`, consentFor(now, processing));
  if (consent.status !== 201) throw new Error(`consent: ${JSON.stringify(consent.json)}`);
  return { caseId: created.json.id, consentId: consent.json.id };
}

export const offerTo = (to: string, ids: { caseId: string; consentId: string }, over: Record<string, unknown> = {}) => ({
  caseId: ids.caseId,
  consentId: ids.consentId,
  to,
  purpose: 'referral',
  needs: ['shelter', 'legal-aid'],
  urgency: 'urgent',
  currentCountry: 'MK',
  destinationCountry: 'RS',
  summary: 'Young woman, presumed victim of labour exploitation, wants to go home.',
  contact: CONTACT('Elena Open Gate'),
  ...over,
});
