import { expect } from 'vitest';

/**
 * Realistic example bodies for the schema tests: Open Gate (Skopje) relays a referral to ASTRA
 * (Belgrade); LEFÖ-IBF (Vienna) hands over the case of a Serbian woman returning home to ASTRA;
 * both plan her court trip back to Vienna for the hearing.
 */
export const T = 1_767_225_600; // 2026-01-01T00:00:00Z
export const DAY = 24 * 3600;
export const ID = {
  referral: '01JDZDJWG0Y95SGYN27962SK7F', consent: '01JDZDJXF8V35XW867GJGHG7RH', trip: '01JDZDJYEGQZT91ECC1649953H',
  task1: '01JDZDJZDR3GRAFBZYDKHS61AV', task2: '01JDZDK0D0R9F13BF6E0XMJNWF', task3: '01JDZDK1C8XBF03RXGXSSB0MGJ',
  attachment: '01JDZDK2BGA1C939X8REB11V73', message: '01JDZDK3ARR99D1XDBJM50TQR9', message2: '01JDZDK4A0WYCN4HG248HX3ZY2',
} as const;
export const SHA = 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg';
export const SHA2 = 'Xk3v7Q1r9YbJmT0pLw2ZsN8cHfD4gE6uA5iO_R-tBWq';
export const SIG = 'Ed25519SignatureBytes_'.padEnd(86, 'A');
export const KEY32 = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc';
export const SECRET_NAME = 'Jelena Petrović';
export const SECRET_PHONE = '+381 64 123 4567';

export const riskToLife = () => ({
  basis: 'vital-interests',
  level: 'high',
  threats: [
    { kind: 'from-trafficker', summary: 'Trafficker knows the home town and has contacted relatives.' },
    { kind: 'to-child', summary: 'Threats made against her son who lives with the grandmother.' },
  ],
  assessedAt: T - 2 * DAY,
  assessedBy: 'org:lefoe-ibf',
});

export const offer = () => ({
  referralId: ID.referral,
  needs: ['shelter', 'psychological', 'legal-aid', 'interpretation'],
  languages: ['sr', 'sr-Latn', 'mk'],
  gender: 'female',
  ageBand: '18-25',
  child: false,
  currentCountry: 'MK',
  destinationCountry: 'RS',
  urgency: 'urgent',
  purpose: 'referral',
  summary: 'Woman met at the Tabanovce transit point, wants to return to Serbia; needs safe shelter on arrival.',
  riskToLife: riskToLife(),
  contact: { name: 'Marija Stojanovska', role: 'case worker', phone: '+389 2 3 111 222', email: 'referrals@opengate.example' },
  respondBy: T + DAY,
});

export const handoverCase = () => ({
  person: {
    givenName: 'Jelena', familyName: 'Petrović', otherNames: ['Jeca'], dateOfBirth: '2001-03-14', ageBand: '18-25',
    gender: 'female', nationality: ['RS'], languages: ['sr', 'de'], phone: SECRET_PHONE,
    address: 'c/o ASTRA contact point, Belgrade', child: false,
  },
  status: { victimStatus: 'identified', identifiedBy: 'Austrian Federal Criminal Police Office', identifiedAt: '2025-11-20' },
  indicators: ['debt bondage', 'passport withheld by employer', 'isolation from family'],
  riskAssessment: {
    level: 'high', summary: 'Re-trafficking risk through the recruiter in her home town.',
    safetyPlan: 'Stay at the ASTRA-arranged shelter; contact only via case worker.', revisedAt: T - DAY,
  },
  needs: ['shelter', 'psychological', 'legal-aid', 'return-assistance'],
  notes: 'Prefers a female interpreter. Medical certificate attached.',
  reflectionPeriod: { start: '2025-11-20', end: '2025-12-20' },
  compensationClaim: { court: 'Landesgericht für Strafsachen Wien', status: 'filed', deadline: '2026-06-30', reference: '123 Hv 45/25k' },
  doNotContact: { byPhone: false, atAddress: true, viaFamily: true, note: 'Never through her family.' },
});

export const attachment = () => ({
  id: ID.attachment, mediaType: 'application/pdf', size: 482_113, name: 'medical-certificate.pdf', key: KEY32,
  manifest: { v: 1, size: 482_113, chunks: 8 }, manifestSignature: SIG,
});

export const handover = () => ({
  referralId: ID.referral,
  consent: { id: ID.consent, hash: SHA },
  purpose: 'return-travel',
  case: handoverCase(),
  riskToLife: riskToLife(),
  attachments: [attachment()],
  onward: { from: 'org:lefoe-ibf', chain: ['org:lefoe-ibf'] },
});

export const consentRecord = () => ({
  schema: 'corridor/consent-record/1', id: ID.consent, version: 1, recordedAt: T - 3 * DAY, controller: 'org:lefoe-ibf',
  recordedBy: { org: 'org:lefoe-ibf', staffRef: 'staff:7f3a9c' }, subjectRef: 'hK9s2LqP0xVb7TzR4mWn',
  legalBasis: 'dpv:ExplicitlyExpressedConsent', jurisdiction: 'AT',
  notice: { id: 'notice-referral-v4', language: 'sr', sha256: SHA2 },
  given: { method: 'written', language: 'sr', interpreterPresent: true, givenBy: 'data-subject', at: T - 3 * DAY },
  processing: [
    {
      purposes: ['return-travel', 'reintegration', 'legal-proceedings'],
      recipients: ['org:astra'],
      categories: ['identity', 'contact', 'health', 'risk-assessment', 'needs', 'travel'],
      fields: ['/person/*', '/riskAssessment', '/needs', '/notes', '/compensationClaim'],
      onwardSharing: { allowed: false, to: [] as string[] },
      retention: 'P2Y',
    },
  ],
  validFrom: T - 3 * DAY, expires: T - 3 * DAY + 180 * DAY, status: 'given',
  events: [{ status: 'given', at: T - 3 * DAY, by: 'data-subject' }],
});

export const plan = () => ({
  tripId: ID.trip,
  referralId: ID.referral,
  consent: { id: ID.consent, hash: SHA },
  hearing: { court: 'Landesgericht für Strafsachen Wien', city: 'Wien', country: 'AT', date: '2026-03-17', time: '09:30', reference: '123 Hv 45/25k' },
  mode: 'in-person',
  tasks: [
    { taskId: ID.task1, kind: 'tickets', owner: 'org:astra', due: '2026-03-01', status: 'open', updatedAt: T },
    { taskId: ID.task2, kind: 'medical-certificate', owner: 'org:astra', due: '2026-03-05', status: 'in-progress', updatedAt: T },
    { taskId: ID.task3, kind: 'airport-pickup', owner: 'org:lefoe-ibf', due: '2026-03-16', status: 'open', note: 'Arrival VIE', updatedAt: T },
  ],
  revision: 0,
});

export const receipt = () => ({
  v: 'corridor/1', id: ID.message, from: 'node:lefoe-ibf', to: 'node:astra', ctSha256: SHA, receivedAt: T,
  kid: 'nsk-astra2026a',
  // the receiver's signed audit checkpoint (cross-witnessing)
  checkpoint: { checkpoint: { log: 'node:astra', size: 1042, root: SHA2, at: T }, kid: 'nsk-astra2026a', signature: SIG },
});

export type Handover = ReturnType<typeof handover>;
export type Plan = ReturnType<typeof plan>;

export const EXAMPLES: Record<string, () => unknown> = {
  'corridor/referral/1.0/offer': offer,
  'corridor/referral/1.0/accept': () => ({
    referralId: ID.referral,
    contact: { name: 'Ana Jovanović', role: 'return coordinator', phone: '+381 11 3347 817', email: 'sos@astra.example' },
    note: 'We can receive her at Belgrade airport.',
  }),
  'corridor/referral/1.0/decline': () => ({ referralId: ID.referral, reason: 'no-capacity', note: 'Shelter full until March.' }),
  'corridor/referral/1.0/revoke': () => ({ referralId: ID.referral, reason: 'person-declined' }),
  'corridor/referral/1.0/handover': handover,
  'corridor/referral/1.0/update': () => ({
    referralId: ID.referral, consent: { id: ID.consent, hash: SHA }, case: { needs: ['shelter', 'reintegration'] },
    status: 'person-arrived', note: 'Arrived safely, staying at the shelter.',
  }),
  'corridor/referral/1.0/close': () => ({ referralId: ID.referral, outcome: 'completed' }),
  'corridor/consent/1.0/record': () => ({ record: consentRecord(), signer: { node: 'node:lefoe-ibf', kid: 'nsk-lefoe2026' }, signature: SIG }),
  'corridor/consent/1.0/withdraw': () => ({
    consentId: ID.consent, newVersion: 2, newHash: SHA2, effectiveAt: T, instruction: 'erase', reason: 'withdrawn-by-person',
  }),
  'corridor/consent/1.0/deletion-receipt': () => ({
    consentId: ID.consent, appliedAt: T + 3600,
    actions: ['deleted-case-data', 'deleted-attachments', 'stopped-processing'],
    onwardNotified: [],
    legalHold: { basis: 'dpv:LegalObligation', reason: 'Witness statement held for the pending trial.', court: 'Viši sud u Beogradu', until: '2026-12-31' },
  }),
  'corridor/court-trip/1.0/plan': plan,
  'corridor/court-trip/1.0/task-update': () => ({
    tripId: ID.trip, taskId: ID.task1, status: 'done', note: 'Bus tickets Belgrade–Vienna booked.', updatedAt: T + DAY, revision: 1,
  }),
  'corridor/message/1.0/ack': () => ({ ackOf: [ID.message, ID.message2], status: 'processed' }),
  'corridor/message/1.0/problem-report': () => ({
    code: 'ConsentScope', about: ID.message, comment: 'Field outside the consent.',
    issues: [{ path: 'body.case.person.phone', problem: 'consent_scope' }],
  }),
};

export type Failure = { ok: false; code: string; issues?: { path: string; problem: string }[] };

export function expectFailure(result: { ok: boolean }, code: string): Failure {
  expect(result.ok).toBe(false);
  const failure = result as Failure;
  expect(failure.code).toBe(code);
  return failure;
}

export function paths(failure: Failure): string[] {
  return (failure.issues ?? []).map((i) => i.path);
}

/** Rows for a table-driven test: every valid value, then every invalid one. */
export function table(valid: string[], invalid: string[]): [string, boolean][] {
  return [...valid.map((v): [string, boolean] => [v, true]), ...invalid.map((v): [string, boolean] => [v, false])];
}

export function withChange<T>(make: () => T, change: (value: T) => void): T {
  const value = make();
  change(value);
  return value;
}

// ---------------------------------------------------------------------------------------------
