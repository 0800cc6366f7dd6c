import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../protocol/errors.js';
import { AttachmentRef, ConsentRecord, DeliveryReceipt, FieldPointer, IsoDate, LanguageTag, RetentionPeriod, SignedConsentRecord, SignedDeliveryReceipt, parseBody } from '../../protocol/schemas/index.js';
import { DAY, ID, SHA, SIG, KEY32, SECRET_NAME, attachment, consentRecord, plan, receipt, type Plan, EXAMPLES, expectFailure, paths, table, withChange } from '../helpers/schema-fixtures.js';

describe('consent record', () => {
  const typ = 'corridor/consent/1.0/record';
  /** the message carries the record signed by the recording node (so a relay can pass it on) */
  const parseRecord = (record: unknown) => parseBody(typ, { record, signer: { node: 'node:lefoe-ibf', kid: 'nsk-lefoe2026' }, signature: SIG });

  it.each([
    ['366 days', 366 * DAY, true],
    ['366 days and a second', 366 * DAY + 1, false],
    ['two years', 730 * DAY, false],
    ['zero', 0, false],
    ['negative', -DAY, false],
  ])('expires after %s: ok=%s', (_label, delta, valid) => {
    const input = withChange(consentRecord, (r) => void (r.expires = r.validFrom + delta));
    const result = parseRecord(input);
    if (valid) expect(result.ok).toBe(true);
    else expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.record.expires']);
  });

  it.each(['guardian', 'legal-representative'])('requires the guardian when given by a %s', (givenBy) => {
    const input = withChange(consentRecord, (r) => Object.assign(r.given, { givenBy }));
    expect(paths(expectFailure(parseRecord(input), 'SchemaViolation'))).toEqual(['body.record.given.guardian']);
    Object.assign(input.given, { guardian: { ref: 'gdn_7Qm2XvLp9aB3cD4e', relation: 'appointed-guardian' } });
    expect(parseRecord(input).ok).toBe(true);
  });

  const retentions = table(['P2Y', 'P6M', 'P90D', 'P1Y6M', 'P4W'], ['P', '2Y', 'PT2H', 'P1.5Y', 'p2y', 'P2Y ', 'P1W2D', 'P12345Y']);
  it.each(retentions)('retention %j valid=%s', (retention, valid) => {
    expect(RetentionPeriod.safeParse(retention).success).toBe(valid);
    const input = withChange(consentRecord, (r) => void (r.processing[0]!.retention = retention));
    const result = parseRecord(input);
    if (valid) expect(result.ok).toBe(true);
    else expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.record.processing[0].retention']);
  });

  const pointers = table(
    ['/person/givenName', '/needs', '/person/*', '/compensation_claim/deadline'],
    ['person/name', '/person/../x', '/', '/*', '/person/', '/person/*/x', '/person name', ''],
  );
  it.each(pointers)('field pointer %j valid=%s', (pointer, valid) => {
    expect(FieldPointer.safeParse(pointer).success).toBe(valid);
    const input = withChange(consentRecord, (r) => void (r.processing[0]!.fields = ['/needs', pointer]));
    const result = parseRecord(input);
    if (valid) expect(result.ok).toBe(true);
    else expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.record.processing[0].fields[1]']);
  });

  it('is strict at every level, since it is signed', () => {
    const top = { ...consentRecord(), cooperates: true };
    expect(paths(expectFailure(parseRecord(top), 'SchemaViolation'))).toEqual(['body.record']);
    const nested = withChange(consentRecord, (r) => Object.assign(r.processing[0]!, { thirdCountry: 'US' }));
    expect(paths(expectFailure(parseRecord(nested), 'SchemaViolation'))).toEqual(['body.record.processing[0]']);
  });

  it('refuses onward recipients when onward sharing is not allowed', () => {
    const input = withChange(consentRecord, (r) => void (r.processing[0]!.onwardSharing.to = ['org:open-gate']));
    expect(paths(expectFailure(parseRecord(input), 'SchemaViolation'))).toEqual(['body.record.processing[0].onwardSharing.to']);
  });

  it('refuses a subject reference that is not pseudonymous-looking', () => {
    const input = withChange(consentRecord, (r) => void (r.subjectRef = SECRET_NAME));
    const result = parseRecord(input);
    expect(paths(expectFailure(result, 'SchemaViolation'))).toEqual(['body.record.subjectRef']);
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
    expect(DeliveryReceipt.safeParse({ ...receipt(), checkpoint: { ...receipt().checkpoint, extra: 1 } }).success).toBe(false);
    // the bare {size, root} of before is not a witness: it must be the signed checkpoint
    expect(DeliveryReceipt.safeParse({ ...receipt(), checkpoint: { size: 1, root: SHA } }).success).toBe(false);
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
