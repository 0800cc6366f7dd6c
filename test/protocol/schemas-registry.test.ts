import { describe, expect, it } from 'vitest';
import { FAMILIES, MESSAGE_TYPES, MessageTypeString, lookupMessage, messageType, parseBody, parseMessageType } from '../../protocol/schemas/index.js';
import { offer, handover, plan, receipt, EXAMPLES, expectFailure } from '../helpers/schema-fixtures.js';

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
    ...['corridor/referral/01.0/offer', 'corridor/referral/1.00/offer'],
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
