import { describe, expect, it } from 'vitest';
import { HandoverCase, parseBody } from '../../protocol/schemas/index.js';
import { ID, KEY32, SECRET_NAME, SECRET_PHONE, riskToLife, offer, handoverCase, attachment, handover, type Handover, expectFailure, paths, withChange } from '../helpers/schema-fixtures.js';

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
    expect(paths(failure).length).toBeGreaterThan(0);
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

  it('has no cooperation-with-authorities field, and refuses one if sent (without naming it)', () => {
    const keys = [...Object.keys(HandoverCase.shape), ...Object.keys(HandoverCase.shape.person.unwrap().shape)];
    expect(keys.filter((k) => /cooperat/i.test(k))).toEqual([]);
    const input = withChange(handover, (h) => void Object.assign(h.case, { cooperatesWithAuthorities: true }));
    const failure = expectFailure(parseBody('corridor/referral/1.0/handover', input), 'SchemaViolation');
    expect(failure.issues).toEqual([{ path: 'body.case', problem: 'unrecognized_keys' }]);
    expect(JSON.stringify(failure)).not.toMatch(/cooperat/i);
  });

  it('refuses unknown keys nested anywhere at our minor version, and drops them from a newer minor', () => {
    const input = withChange(handover, (h) => void Object.assign(h.riskToLife, { victimName: SECRET_NAME }));
    const failure = expectFailure(parseBody('corridor/referral/1.0/handover', input), 'SchemaViolation');
    expect(failure.issues).toEqual([{ path: 'body.riskToLife', problem: 'unrecognized_keys' }]);
    expect(JSON.stringify(failure)).not.toContain(SECRET_NAME);
    const newer = parseBody('corridor/referral/1.4/handover', input);
    expect(newer.ok && JSON.stringify(newer.value)).not.toContain(SECRET_NAME);
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
