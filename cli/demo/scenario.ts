import { z } from 'zod';
import type { DemoNetwork, DemoOrg } from './network.js';
import { until } from './wait.js';

/**
 * The demo's story, step by step, as each organisation sees it through its own node's local
 * API: the relay Open Gate → ASTRA with consent; LEFÖ-IBF's handover to ASTRA; a court return
 * trip planned by both; ASTRA's node offline for a while and catching up; a consent withdrawal
 * with its deletion receipts. Every step reports what the organisation's node says.
 */

export interface Step {
  /** a stable id for machines (`--json`) */
  id: string;
  org: DemoOrg;
  /** what the case worker sees, in the story's words (key of the demo catalogue) */
  say: string;
  vars?: Record<string, string | number>;
  /** the state the node reports, checked by the black-box test */
  state: Record<string, unknown>;
}

const ANY = z.any();
const CONTACTS: Record<DemoOrg, { name: string; role: string; email: string }> = {
  'open-gate': { name: 'Elena (Open Gate)', role: 'case worker', email: 'elena@open-gate.demo.example' },
  astra: { name: 'Jelena (ASTRA)', role: 'case worker', email: 'jelena@astra.demo.example' },
  'lefoe-ibf': { name: 'Anna (LEFÖ-IBF)', role: 'counsellor', email: 'anna@lefoe.demo.example' },
};

export async function runScenario(net: DemoNetwork, report: (step: Step) => void): Promise<void> {
  const api = net.client.bind(net);
  const get = (org: DemoOrg, path: string) => api(org).get(path, ANY);
  const post = (org: DemoOrg, path: string, body: unknown) => api(org).post(path, body, ANY);
  const now = () => Math.floor(Date.now() / 1000);
  const dir = await get('astra', '/api/v1/directory');
  report({ id: 'network', org: 'astra', say: 'demo.step.network', vars: { version: dir.version, organisations: dir.organisations }, state: { version: dir.version, organisations: dir.organisations, fresh: dir.fresh } });

  const shelters = await get('open-gate', '/api/v1/directory/search?country=RS&type=shelter&served=women');
  report({ id: 'search', org: 'open-gate', say: 'demo.step.search', vars: { count: shelters.total, first: shelters.results[0]?.orgName ?? '-' }, state: { total: shelters.total, orgs: shelters.results.map((r: { org: string }) => r.org) } });

  // 1. the relay: Open Gate identifies a presumed victim and refers her to ASTRA with her consent
  const opened = await post('open-gate', '/api/v1/cases', {
    person: { givenName: 'Marija', familyName: 'Demo', ageBand: '18-25', gender: 'female', nationality: ['RS'], languages: ['sr'], phone: '+000 000 0000' },
    status: { victimStatus: 'presumed' },
    needs: ['shelter', 'legal-aid', 'return-assistance'],
    riskAssessment: { level: 'high', summary: 'Threats from the recruiter.', safetyPlan: 'No contact by phone; shelter on arrival.', revisedAt: now() },
    notes: 'Identified with the Greek partner at the border; wants to go home to Serbia.',
  });
  const consent = await post('open-gate', `/api/v1/cases/${opened.id}/consents`, {
    given: { method: 'written', language: 'sr', interpreterPresent: true, givenBy: 'data-subject', at: now() - 60 },
    processing: [{ purposes: ['referral', 'assistance', 'return-travel'], recipients: ['org:astra'], categories: ['identity', 'needs', 'risk-assessment'], fields: ['/person/givenName', '/person/familyName', '/person/languages', '/needs', '/riskAssessment'], onwardSharing: { allowed: false, to: [] }, retention: 'P1Y' }],
    jurisdiction: 'MK',
    expires: now() + 180 * 86_400,
    staffRef: 'staff:elena',
  });
  report({ id: 'consent', org: 'open-gate', say: 'demo.step.consent', vars: { fields: 5 }, state: { caseId: opened.id, consentId: consent.id, version: consent.version } });

  const offer = await post('open-gate', '/api/v1/referrals', { caseId: opened.id, consentId: consent.id, to: 'org:astra', purpose: 'referral', needs: ['shelter', 'legal-aid'], urgency: 'urgent', currentCountry: 'MK', destinationCountry: 'RS', summary: 'Young woman, presumed victim of labour exploitation, wants to return home.', contact: CONTACTS['open-gate'] });
  const seen = await until('ASTRA to receive the offer', () => get('astra', `/api/v1/referrals/${offer.id}`), (r) => r.state === 'offered');
  report({ id: 'offer-received', org: 'astra', say: 'demo.step.offer', vars: { from: 'Open Gate', needs: seen.offer.needs.join(', ') }, state: { state: seen.state, offer: seen.offer, theirContact: seen.theirContact } });

  await post('astra', `/api/v1/referrals/${offer.id}/accept`, { contact: CONTACTS.astra });
  const accepted = await until('Open Gate to see the acceptance', () => get('open-gate', `/api/v1/referrals/${offer.id}`), (r) => r.state === 'accepted');
  report({ id: 'accepted', org: 'open-gate', say: 'demo.step.accepted', vars: { contact: accepted.theirContact.name }, state: { state: accepted.state, theirContact: accepted.theirContact } });

  await post('open-gate', `/api/v1/referrals/${offer.id}/handover`, {});
  const received = await until('ASTRA to receive the case', () => get('astra', `/api/v1/referrals/${offer.id}`), (r) => r.state === 'handed-over' && r.caseId);
  const astraCase = await get('astra', `/api/v1/cases/${received.caseId}`);
  const ledger = (await get('open-gate', `/api/v1/cases/${opened.id}`)).disclosures;
  report({ id: 'handover', org: 'astra', say: 'demo.step.handover', vars: { fields: ledger[0]?.fields.length ?? 0 }, state: { state: received.state, person: astraCase.data.person, hasNotes: astraCase.data.notes !== undefined, hasPhone: astraCase.data.person?.phone !== undefined } });
  report({ id: 'ledger', org: 'open-gate', say: 'demo.step.ledger', vars: { org: 'ASTRA', count: ledger[0]?.fields.length ?? 0 }, state: { disclosures: ledger.map((d: { org: string; fields: string[] }) => ({ org: d.org, fields: d.fields })) } });

  // 2. LEFÖ-IBF hands a woman who returns home over to ASTRA
  const lefoeCase = await post('lefoe-ibf', '/api/v1/cases', {
    person: { givenName: 'Ana', familyName: 'Demo', ageBand: '26-35', gender: 'female', languages: ['sr', 'de'] },
    status: { victimStatus: 'identified', identifiedBy: 'police' },
    needs: ['return-assistance', 'reintegration'],
    compensationClaim: { court: 'Landesgericht für Strafsachen Wien', status: 'pending' },
  });
  const lefoeConsent = await post('lefoe-ibf', `/api/v1/cases/${lefoeCase.id}/consents`, {
    given: { method: 'written', language: 'sr', interpreterPresent: true, givenBy: 'data-subject', at: now() - 60 },
    processing: [{ purposes: ['return-travel', 'reintegration', 'legal-proceedings'], recipients: ['org:astra'], categories: ['identity', 'needs', 'travel'], fields: ['/person/*', '/needs', '/compensationClaim'], onwardSharing: { allowed: false, to: [] }, retention: 'P2Y' }],
    jurisdiction: 'AT',
    expires: now() + 300 * 86_400,
    staffRef: 'staff:anna',
  });
  const ret = await post('lefoe-ibf', '/api/v1/referrals', { caseId: lefoeCase.id, consentId: lefoeConsent.id, to: 'org:astra', purpose: 'return-travel', needs: ['return-assistance', 'reintegration'], urgency: 'routine', currentCountry: 'AT', destinationCountry: 'RS', contact: CONTACTS['lefoe-ibf'] });
  await until('ASTRA to receive LEFÖ-IBF’s offer', () => get('astra', `/api/v1/referrals/${ret.id}`), (r) => r.state === 'offered');
  await post('astra', `/api/v1/referrals/${ret.id}/accept`, { contact: CONTACTS.astra });
  await until('LEFÖ-IBF to see the acceptance', () => get('lefoe-ibf', `/api/v1/referrals/${ret.id}`), (r) => r.state === 'accepted');
  await post('lefoe-ibf', `/api/v1/referrals/${ret.id}/handover`, {});
  const back = await until('ASTRA to receive the handover', () => get('astra', `/api/v1/referrals/${ret.id}`), (r) => r.state === 'handed-over');
  report({ id: 'return-handover', org: 'astra', say: 'demo.step.returnHandover', vars: { from: 'LEFÖ-IBF' }, state: { state: back.state } });

  // 3. the court return trip, planned by both
  const hearingDate = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  const trip = await post('lefoe-ibf', `/api/v1/referrals/${ret.id}/court-trip`, {
    hearing: { court: 'Landesgericht für Strafsachen Wien', city: 'Wien', country: 'AT', date: hearingDate, time: '09:30', reference: '123 Hv 45/26' },
    mode: 'in-person',
    tasks: [
      { kind: 'tickets', owner: 'org:astra', due: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10) },
      { kind: 'airport-pickup', owner: 'org:lefoe-ibf', due: hearingDate, note: 'Anna meets her at arrivals' },
    ],
  });
  const tripId = trip.plan.tripId as string;
  const atAstra = await until('ASTRA to see the trip', () => get('astra', `/api/v1/court-trips/${tripId}`), (t) => t.plan.tasks.length === 2);
  report({ id: 'trip', org: 'astra', say: 'demo.step.trip', vars: { date: hearingDate, tasks: atAstra.plan.tasks.length }, state: { tasks: atAstra.plan.tasks.map((t: { kind: string; owner: string; status: string }) => ({ kind: t.kind, owner: t.owner, status: t.status })) } });

  // 4. ASTRA's office goes offline; LEFÖ-IBF changes the plan; ASTRA comes back and catches up
  await net.nodes.astra.stop();
  const tickets = atAstra.plan.tasks.find((t: { kind: string }) => t.kind === 'airport-pickup');
  await api('lefoe-ibf').request('PUT', `/api/v1/court-trips/${tripId}/tasks/${tickets.taskId}`, ANY, { body: { status: 'in-progress', note: 'Anna and an interpreter meet her at arrivals' } });
  report({ id: 'offline', org: 'lefoe-ibf', say: 'demo.step.offline', state: { astraRunning: false } });
  await net.nodes.astra.start();
  const caught = await until('ASTRA to catch up', () => get('astra', `/api/v1/court-trips/${tripId}`), (t) => t.plan.tasks.some((x: { taskId: string; status: string }) => x.taskId === tickets.taskId && x.status === 'in-progress'), 60_000);
  report({ id: 'caught-up', org: 'astra', say: 'demo.step.caughtUp', state: { tasks: caught.plan.tasks.map((t: { kind: string; status: string }) => ({ kind: t.kind, status: t.status })) } });

  // 5. the woman Open Gate referred withdraws her consent
  await post('open-gate', `/api/v1/consents/${consent.id}/withdraw`, { by: 'data-subject' });
  const purged = await until('ASTRA to purge and answer', () => get('open-gate', `/api/v1/consents/${consent.id}`), (c) => c.notices.every((n: { status: string }) => n.status === 'received'));
  const astraAfter = await get('astra', `/api/v1/cases/${received.caseId}`);
  report({ id: 'withdrawn', org: 'open-gate', say: 'demo.step.withdrawn', vars: { receipts: purged.notices.length }, state: { status: purged.status, notices: purged.notices.map((n: { org: string; status: string }) => ({ org: n.org, status: n.status })), astraCase: { state: astraAfter.state, data: astraAfter.data } } });
}
