import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../protocol/errors.js';
import {
  AttachmentRef,
  ConsentRecord,
  DeliveryReceipt,
  FAMILIES,
  FieldPointer,
  HandoverCase,
  IsoDate,
  LanguageTag,
  MESSAGE_TYPES,
  MessageTypeString,
  RetentionPeriod,
  SignedConsentRecord,
  SignedDeliveryReceipt,
  lookupMessage,
  messageType,
  parseBody,
  parseMessageType,
} from '../../protocol/schemas/index.js';

// ---------------------------------------------------------------------------------------------
// Realistic examples: Open Gate (Skopje) relays a referral to ASTRA (Belgrade); LEFÖ-IBF (Vienna)
// hands over the case of a Serbian woman returning home to ASTRA; both plan her court trip back
// to Vienna for the hearing.

const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY = 24 * 3600;
const ID = {
  referral: '01JDZDJWG0Y95SGYN27962SK7F', consent: '01JDZDJXF8V35XW867GJGHG7RH', trip: '01JDZDJYEGQZT91ECC1649953H',
  task1: '01JDZDJZDR3GRAFBZYDKHS61AV', task2: '01JDZDK0D0R9F13BF6E0XMJNWF', task3: '01JDZDK1C8XBF03RXGXSSB0MGJ',
  attachment: '01JDZDK2BGA1C939X8REB11V73', message: '01JDZDK3ARR99D1XDBJM50TQR9', message2: '01JDZDK4A0WYCN4HG248HX3ZY2',
} as const;
const SHA = 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg';
const SHA2 = 'Xk3v7Q1r9YbJmT0pLw2ZsN8cHfD4gE6uA5iO_R-tBWq';
const SIG = 'Ed25519SignatureBytes_'.padEnd(86, 'A');
const KEY32 = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc';
const SECRET_NAME = 'Jelena Petrović';
const SECRET_PHONE = '+381 64 123 4567';

const riskToLife = () => ({
  basis: 'vital-interests',
  level: 'high',
  threats: [
    { kind: 'from-trafficker', summary: 'Trafficker knows the home town and has contacted relatives.' },
    { kind: 'to-child', summary: 'Threats made against her son who lives with the grandmother.' },
  ],
  assessedAt: T - 2 * DAY,
  assessedBy: 'org:lefoe-ibf',
});

const offer = () => ({
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

const handoverCase = () => ({
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

const attachment = () => ({
  id: ID.attachment, mediaType: 'application/pdf', size: 482_113, name: 'medical-certificate.pdf', key: KEY32,
  manifest: { v: 1, size: 482_113, chunks: 8 }, manifestSignature: SIG,
});

const handover = () => ({
  referralId: ID.referral,
  consent: { id: ID.consent, hash: SHA },
  purpose: 'return-travel',
  case: handoverCase(),
  riskToLife: riskToLife(),
  attachments: [attachment()],
  onward: { from: 'org:lefoe-ibf', chain: ['org:lefoe-ibf'] },
});

const consentRecord = () => ({
  schema: 'corridor/consent-record/1', id: ID.consent, version: 1, controller: 'org:lefoe-ibf',
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

const plan = () => ({
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

const receipt = () => ({
  v: 'corridor/1', id: ID.message, from: 'node:lefoe-ibf', to: 'node:astra', ctSha256: SHA, receivedAt: T,
  kid: 'nsk-astra2026a', checkpoint: { size: 1042, root: SHA2 },
});

type Handover = ReturnType<typeof handover>;
type Plan = ReturnType<typeof plan>;

const EXAMPLES: Record<string, () => unknown> = {
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
  'corridor/consent/1.0/record': consentRecord,
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

type Failure = { ok: false; code: string; issues?: { path: string; problem: string }[] };

function expectFailure(result: { ok: boolean }, code: string): Failure {
  expect(result.ok).toBe(false);
  const failure = result as Failure;
  expect(failure.code).toBe(code);
  return failure;
}

function paths(failure: Failure): string[] {
  return (failure.issues ?? []).map((i) => i.path);
}

/** Rows for a table-driven test: every valid value, then every invalid one. */
function table(valid: string[], invalid: string[]): [string, boolean][] {
  return [...valid.map((v): [string, boolean] => [v, true]), ...invalid.map((v): [string, boolean] => [v, false])];
}

function withChange<T>(make: () => T, change: (value: T) => void): T {
  const value = make();
  change(value);
  return value;
}

// ---------------------------------------------------------------------------------------------

describe('message registry', () => {
  it('has an example for every message type and nothing else', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(MESSAGE_TYPES.map((t) => t.typ).sort());
  });

  it.each(Object.entries(EXAMPLES))('a valid %s parses', (typ, make) => {
    const input = make();
    const result = parseBody(typ, input);
    expect(result).toEqual({ ok: true, value: input });
  });

  it('flags personal data for every registered name', () => {
    for (const family of FAMILIES) {
      for (const name of Object.keys(family.bodies)) {
        expect(typeof (family.personalData as Record<string, unknown>)[name]).toBe('boolean');
      }
    }
    const flagged = MESSAGE_TYPES.filter((t) => t.personalData).map((t) => t.typ);
    expect(flagged.sort()).toEqual(['corridor/court-trip/1.0/plan', 'corridor/referral/1.0/handover', 'corridor/referral/1.0/update']);
  });

  it('builds the current typ and refuses unknown names', () => {
    expect(messageType('referral', 'offer')).toBe('corridor/referral/1.0/offer');
    expect(messageType('consent', 'deletion-receipt')).toBe('corridor/consent/1.0/deletion-receipt');
    expect(() => messageType('referral', 'transfer' as 'offer')).toThrow(Error);
    expect(() => messageType('shelter' as 'referral', 'offer')).toThrow(Error);
  });

  it('splits a typ into its parts', () => {
    expect(parseMessageType('corridor/court-trip/1.12/task-update')).toEqual({ family: 'court-trip', major: 1, minor: 12, name: 'task-update' });
    expect(parseMessageType('corridor/court-trip/1/task-update')).toBeNull();
  });

  it.each([
    ...['', 'corridor', 'corridor/referral/1/offer', 'corridor/referral/1.0/', 'corridor/referral/1.0/offer/extra'],
    ...['corridor/referral/1.0.0/offer', 'corridor/referral/1000.0/offer', 'corridor/Referral/1.0/offer'],
    ...['corridor/referral/1.0/Offer', 'corridor/referral/1.0/__proto__', 'didcomm/referral/1.0/offer'],
    ...[' corridor/referral/1.0/offer', 'corridor/referral/1.0/offer\n', `corridor/${'a'.repeat(200)}/1.0/offer`],
  ])('%j is Malformed', (typ) => {
    expect(MessageTypeString.safeParse(typ).success).toBe(false);
    expectFailure(lookupMessage(typ), 'Malformed');
    expectFailure(parseBody(typ, offer()), 'Malformed');
  });

  it.each(['corridor/shelter/1.0/offer', 'corridor/referral/1.0/transfer', 'corridor/referral/1.0/constructor', 'corridor/message/1.0/offer'])(
    '%s is UnknownMessageType',
    (typ) => {
      expectFailure(lookupMessage(typ), 'UnknownMessageType');
    },
  );

  it.each(['corridor/referral/2.0/offer', 'corridor/referral/0.9/offer', 'corridor/consent/3.1/record', 'corridor/referral/2.0/newthing'])(
    '%s is UnsupportedVersion',
    (typ) => {
      expectFailure(lookupMessage(typ), 'UnsupportedVersion');
    },
  );

  it.each(['corridor/referral/1.7/offer', 'corridor/referral/1.0/offer', 'corridor/referral/1.999/offer'])('%s is accepted', (typ) => {
    const found = lookupMessage(typ);
    expect(found.ok && found.value.name === 'offer' && found.value.personalData === false).toBe(true);
    expect(parseBody(typ, offer()).ok).toBe(true);
  });

  it('drops fields a newer minor adds to an open body', () => {
    const accept = { ...(EXAMPLES['corridor/referral/1.0/accept']?.() as object), arrivalGate: 'C' };
    const result = parseBody('corridor/referral/1.3/accept', accept);
    expect(result.ok).toBe(true);
    expect(result.ok && 'arrivalGate' in (result.value as object)).toBe(false);
  });
});

describe('referral offer', () => {
  it.each([
    ['givenName', SECRET_NAME],
    ['dateOfBirth', '2001-03-14'],
    ['phone', SECRET_PHONE],
  ])('refuses the identifying field %s and does not echo it', (key, value) => {
    const result = parseBody('corridor/referral/1.0/offer', { ...offer(), [key]: value });
    const failure = expectFailure(result, 'SchemaViolation');
    expect(failure.issues).toEqual([{ path: 'body', problem: 'unrecognized_keys' }]);
    expect(JSON.stringify(result)).not.toContain(value);
  });

  it('refuses extra keys in the contact too', () => {
    const input = withChange(offer, (o) => Object.assign(o.contact, { personPhone: SECRET_PHONE }));
    const failure = expectFailure(parseBody('corridor/referral/1.0/offer', input), 'SchemaViolation');
    expect(paths(failure)).toEqual(['body.contact']);
  });

  it.each([
    ['needs', []],
    ['needs', ['shelter', 'housing']],
    ['currentCountry', 'mk'],
    ['languages', ['Serbian']],
    ['summary', 'x'.repeat(1001)],
    ['urgency', 'asap'],
  ])('refuses a bad %s', (key, value) => {
    const failure = expectFailure(parseBody('corridor/referral/1.0/offer', { ...offer(), [key]: value }), 'SchemaViolation');
    expect(paths(failure).every((p) => p.startsWith(`body.${key}`))).toBe(true);
  });
});

describe('validation errors name the field, never the value', () => {
  const handoverTyp = 'corridor/referral/1.0/handover';
  it.each([
    ['body.case.person.dateOfBirth', '2001-02-30', (h: Handover): void => void (h.case.person.dateOfBirth = '2001-02-30')],
    ['body.case.person.phone', `call ${SECRET_PHONE} after 6`, (h: Handover): void => void (h.case.person.phone = `call ${SECRET_PHONE} after 6`)],
    ['body.case.person.gender', SECRET_NAME, (h: Handover): void => void (h.case.person.gender = SECRET_NAME)],
    ['body.case.person.givenName', SECRET_NAME, (h: Handover): void => void (h.case.person.givenName = SECRET_NAME.repeat(20))],
    ['body.case.person.nationality[0]', 'Serbia', (h: Handover): void => void (h.case.person.nationality = ['Serbia'])],
    ['body.attachments[0].key', KEY32.slice(0, 40), (h: Handover): void => void (h.attachments[0]!.key = KEY32.slice(0, 40))],
  ] as const)('%s', (path, secret, change) => {
    const result = parseBody(handoverTyp, withChange(handover, change));
    const failure = expectFailure(result, 'SchemaViolation');
    expect(paths(failure)).toEqual([path]);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('does not echo an email address', () => {
    const input = withChange(handover, (h) => Object.assign(h.case.person, { email: 'jelena.petrovic@' }));
    const result = parseBody(handoverTyp, input);
    expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.case.person.email']);
    expect(JSON.stringify(result)).not.toContain('jelena');
  });

  it('requires riskToLife on a handover, even with an empty case', () => {
    const { riskToLife: _omitted, ...rest } = handover();
    expect(paths(expectFailure(parseBody(handoverTyp, rest), 'SchemaViolation'))).toEqual(['body.riskToLife']);
    expect(parseBody(handoverTyp, { ...handover(), case: {} }).ok).toBe(true);
  });

  it('has no cooperation-with-authorities field, and drops one if sent', () => {
    const keys = [...Object.keys(HandoverCase.shape), ...Object.keys(HandoverCase.shape.person.unwrap().shape)];
    expect(keys.filter((k) => /cooperat/i.test(k))).toEqual([]);
    const parsed = HandoverCase.parse({ ...handoverCase(), cooperatesWithAuthorities: true });
    expect('cooperatesWithAuthorities' in parsed).toBe(false);
  });

  it('refuses a reflection period that ends before it starts', () => {
    const input = withChange(handover, (h) => void (h.case.reflectionPeriod = { start: '2025-11-20', end: '2025-11-01' }));
    expect(paths(expectFailure(parseBody(handoverTyp, input), 'SchemaViolation'))).toEqual(['body.case.reflectionPeriod.end']);
  });
});

describe('referral update', () => {
  const typ = 'corridor/referral/1.0/update';
  it('refuses case data without a consent', () => {
    const result = parseBody(typ, { referralId: ID.referral, case: { notes: SECRET_NAME } });
    expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.consent']);
    expect(JSON.stringify(result)).not.toContain(SECRET_NAME);
  });

  it('refuses attachments without a consent', () => {
    const result = parseBody(typ, { referralId: ID.referral, attachments: [attachment()] });
    expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.consent']);
  });

  it('allows a status update or a risk-to-life block without a consent', () => {
    expect(parseBody(typ, { referralId: ID.referral, status: 'safe' }).ok).toBe(true);
    expect(parseBody(typ, { referralId: ID.referral, riskToLife: riskToLife() }).ok).toBe(true);
  });
});

describe('consent record', () => {
  const typ = 'corridor/consent/1.0/record';

  it.each([
    ['366 days', 366 * DAY, true],
    ['366 days and a second', 366 * DAY + 1, false],
    ['two years', 730 * DAY, false],
    ['zero', 0, false],
    ['negative', -DAY, false],
  ])('expires after %s: ok=%s', (_label, delta, valid) => {
    const input = withChange(consentRecord, (r) => void (r.expires = r.validFrom + delta));
    const result = parseBody(typ, input);
    if (valid) expect(result.ok).toBe(true);
    else expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.expires']);
  });

  it.each(['guardian', 'legal-representative'])('requires the guardian when given by a %s', (givenBy) => {
    const input = withChange(consentRecord, (r) => Object.assign(r.given, { givenBy }));
    expect(paths(expectFailure(parseBody(typ, input), 'SchemaViolation'))).toEqual(['body.given.guardian']);
    Object.assign(input.given, { guardian: { ref: 'gdn_7Qm2XvLp9aB3cD4e', relation: 'appointed-guardian' } });
    expect(parseBody(typ, input).ok).toBe(true);
  });

  const retentions = table(['P2Y', 'P6M', 'P90D', 'P1Y6M', 'P4W'], ['P', '2Y', 'PT2H', 'P1.5Y', 'p2y', 'P2Y ', 'P1W2D', 'P12345Y']);
  it.each(retentions)('retention %j valid=%s', (retention, valid) => {
    expect(RetentionPeriod.safeParse(retention).success).toBe(valid);
    const input = withChange(consentRecord, (r) => void (r.processing[0]!.retention = retention));
    const result = parseBody(typ, input);
    if (valid) expect(result.ok).toBe(true);
    else expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.processing[0].retention']);
  });

  const pointers = table(
    ['/person/givenName', '/needs', '/person/*', '/compensation_claim/deadline'],
    ['person/name', '/person/../x', '/', '/*', '/person/', '/person/*/x', '/person name', ''],
  );
  it.each(pointers)('field pointer %j valid=%s', (pointer, valid) => {
    expect(FieldPointer.safeParse(pointer).success).toBe(valid);
    const input = withChange(consentRecord, (r) => void (r.processing[0]!.fields = ['/needs', pointer]));
    const result = parseBody(typ, input);
    if (valid) expect(result.ok).toBe(true);
    else expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.processing[0].fields[1]']);
  });

  it('is strict at every level, since it is signed', () => {
    const top = { ...consentRecord(), cooperates: true };
    expect(paths(expectFailure(parseBody(typ, top), 'SchemaViolation'))).toEqual(['body']);
    const nested = withChange(consentRecord, (r) => Object.assign(r.processing[0]!, { thirdCountry: 'US' }));
    expect(paths(expectFailure(parseBody(typ, nested), 'SchemaViolation'))).toEqual(['body.processing[0]']);
  });

  it('refuses onward recipients when onward sharing is not allowed', () => {
    const input = withChange(consentRecord, (r) => void (r.processing[0]!.onwardSharing.to = ['org:open-gate']));
    expect(paths(expectFailure(parseBody(typ, input), 'SchemaViolation'))).toEqual(['body.processing[0].onwardSharing.to']);
  });

  it('refuses a subject reference that is not pseudonymous-looking', () => {
    const input = withChange(consentRecord, (r) => void (r.subjectRef = SECRET_NAME));
    const result = parseBody(typ, input);
    expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.subjectRef']);
    expect(JSON.stringify(result)).not.toContain('Jelena');
  });

  it('parses a signed record and the record schema on its own', () => {
    expect(ConsentRecord.safeParse(consentRecord()).success).toBe(true);
    const signed = { record: consentRecord(), signer: { node: 'node:lefoe-ibf', kid: 'nsk-lefoe2026' }, signature: SIG };
    expect(SignedConsentRecord.safeParse(signed).success).toBe(true);
    expect(SignedConsentRecord.safeParse({ ...signed, signature: SIG.slice(1) }).success).toBe(false);
  });

  it('refuses a withdrawal that does not move to a new version', () => {
    const withdraw = EXAMPLES['corridor/consent/1.0/withdraw']?.() as Record<string, unknown>;
    const result = parseBody('corridor/consent/1.0/withdraw', { ...withdraw, newVersion: 1 });
    expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.newVersion']);
  });
});

describe('court trip', () => {
  const typ = 'corridor/court-trip/1.0/plan';
  it.each([
    ['hearing.date', (p: Plan): void => void (p.hearing.date = '2026-02-29')],
    ['hearing.time', (p: Plan): void => void (p.hearing.time = '24:00')],
    ['hearing.country', (p: Plan): void => void (p.hearing.country = 'Austria')],
    ['tasks[1].taskId', (p: Plan): void => void (p.tasks[1]!.taskId = ID.task1)],
    ['tasks[0].kind', (p: Plan): void => void (Object.assign(p.tasks[0]!, { kind: 'visa-bribe' }))],
    ['revision', (p: Plan): void => void (p.revision = -1)],
  ] as const)('refuses a bad %s', (path, change) => {
    expect(paths(expectFailure(parseBody(typ, withChange(plan, change)), 'SchemaViolation'))).toEqual([`body.${path}`]);
  });

  it('accepts a video-link hearing without tasks', () => {
    expect(parseBody(typ, { ...plan(), mode: 'video-link', tasks: [] }).ok).toBe(true);
  });
});

describe('control messages and receipts', () => {
  it('refuses a problem-report code outside the closed list', () => {
    const base = EXAMPLES['corridor/message/1.0/problem-report']?.() as Record<string, unknown>;
    const result = parseBody('corridor/message/1.0/problem-report', { ...base, code: 'PersonNotFound' });
    expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.code']);
    for (const code of Object.keys(ERROR_CODES)) {
      expect(parseBody('corridor/message/1.0/problem-report', { ...base, code }).ok).toBe(true);
    }
  });

  it('refuses an empty ack', () => {
    const result = parseBody('corridor/message/1.0/ack', { ackOf: [], status: 'received' });
    expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.ackOf']);
  });

  it('delivery receipts are strict', () => {
    expect(DeliveryReceipt.safeParse(receipt()).success).toBe(true);
    const extra = DeliveryReceipt.safeParse({ ...receipt(), note: 'stored' });
    expect(extra.success).toBe(false);
    expect(extra.error?.issues.map((i) => i.code)).toEqual(['unrecognized_keys']);
    expect(DeliveryReceipt.safeParse({ ...receipt(), checkpoint: { size: 1, root: SHA, extra: 1 } }).success).toBe(false);
    expect(DeliveryReceipt.safeParse({ ...receipt(), v: 'corridor/2' }).success).toBe(false);
    expect(SignedDeliveryReceipt.safeParse({ receipt: receipt(), signature: SIG }).success).toBe(true);
    expect(SignedDeliveryReceipt.safeParse({ receipt: receipt(), signature: SIG, kid: 'x' }).success).toBe(false);
  });
});

describe('shared pieces', () => {
  const dates = table(
    ['2024-02-29', '2000-02-29', '1999-12-31'],
    ['2023-02-29', '1900-02-29', '2001-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-1-10', '20.03.2026', '2026-03-17T09:30'],
  );
  it.each(dates)('date %j valid=%s', (value, valid) => {
    expect(IsoDate.safeParse(value).success).toBe(valid);
  });

  const languages = table(['sr', 'sr-Latn', 'sr-Latn-RS', 'rom', 'de-AT', 'fa'], ['Serbian', 'sr_RS', 'SR', '']);
  it.each(languages)('language tag %j valid=%s', (value, valid) => {
    expect(LanguageTag.safeParse(value).success).toBe(valid);
  });

  const keys = table([KEY32, `${KEY32.slice(0, 42)}c`], [`${KEY32.slice(0, 42)}B`, `${KEY32}A`, `${KEY32.slice(0, 42)}=`]);
  it.each(keys)('attachment key %j valid=%s', (key, valid) => {
    expect(AttachmentRef.safeParse({ ...attachment(), key }).success).toBe(valid);
  });

  it('bounds attachment sizes and media types', () => {
    expect(AttachmentRef.safeParse({ ...attachment(), size: 100 * 1024 * 1024 + 1 }).success).toBe(false);
    expect(AttachmentRef.safeParse({ ...attachment(), size: 1.5 }).success).toBe(false);
    expect(AttachmentRef.safeParse({ ...attachment(), mediaType: 'pdf' }).success).toBe(false);
    expect(AttachmentRef.safeParse({ ...attachment(), mediaType: 'image/jpeg' }).success).toBe(true);
  });
});
