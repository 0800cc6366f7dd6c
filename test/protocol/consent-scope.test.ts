import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsentRecord, type HandoverCase, allows, casePointers, checkReceived, projectCase, sectionFor } from '../../protocol/index.js';
import { consentRecord } from '../helpers/schema-fixtures.js';

/**
 * The one function that decides what leaves a node (protocol/consent-scope.ts), and the same
 * rule at the receiver. The fixture record: LEFÖ-IBF (controller) → ASTRA for return travel,
 * reintegration and legal proceedings; fields `/person/*`, `/riskAssessment`, `/needs`,
 * `/notes`, `/compensationClaim`; no onward sharing.
 */

const record = consentRecord() as unknown as ConsentRecord;
const NOW = record.validFrom + 10;
const full: HandoverCase = {
  person: { givenName: 'Marija', familyName: 'Testović', phone: '+381 64 555 0199', languages: ['sr'] },
  status: { victimStatus: 'identified', identifiedBy: 'police' },
  indicators: ['debt bondage'],
  needs: ['shelter'],
  notes: 'notes',
  doNotContact: { byPhone: true },
};
const share = { sender: 'org:lefoe-ibf', recipient: 'org:astra', purpose: 'return-travel', now: NOW };

describe('projectCase: what may leave', () => {
  it('keeps exactly the allowed fields and lists them for the ledger', () => {
    const out = projectCase(full, record, share);
    expect(out).toEqual({
      ok: true,
      value: { case: { person: full.person, needs: ['shelter'], notes: 'notes' }, fields: ['/person/givenName', '/person/familyName', '/person/languages', '/person/phone', '/needs', '/notes'] },
    });
  });

  it('narrows to the requested fields, and refuses a requested field outside the consent by name', () => {
    expect(projectCase(full, record, { ...share, requested: ['/person/givenName', '/needs'] })).toMatchObject({ ok: true, value: { case: { person: { givenName: 'Marija' }, needs: ['shelter'] } } });
    expect(projectCase(full, record, { ...share, requested: ['/person/givenName', '/status'] })).toEqual({ ok: false, problem: { code: 'ConsentScope', detail: '/status' } });
  });

  it('refuses another recipient, another purpose, an expired or withdrawn consent', () => {
    expect(projectCase(full, record, { ...share, recipient: 'org:open-gate' })).toEqual({ ok: false, problem: { code: 'ConsentScope', detail: 'recipient' } });
    expect(projectCase(full, record, { ...share, purpose: 'referral' })).toEqual({ ok: false, problem: { code: 'ConsentScope', detail: 'purpose' } });
    expect(projectCase(full, record, { ...share, now: record.expires })).toEqual({ ok: false, problem: { code: 'ConsentExpired', detail: 'expires' } });
    expect(projectCase(full, { ...record, status: 'withdrawn' }, share)).toEqual({ ok: false, problem: { code: 'ConsentWithdrawn', detail: 'status' } });
  });

  it('onward only where the section allows it, to the organisations it names', () => {
    const onward = { ...record, processing: [{ ...record.processing[0]!, onwardSharing: { allowed: true, to: ['org:open-gate'] } }] } as ConsentRecord;
    expect(sectionFor(onward, { sender: 'org:astra', recipient: 'org:open-gate', purpose: 'return-travel', now: NOW }).ok).toBe(true);
    expect(sectionFor(record, { sender: 'org:astra', recipient: 'org:open-gate', purpose: 'return-travel', now: NOW })).toEqual({ ok: false, problem: { code: 'ConsentScope', detail: 'recipient' } });
    expect(sectionFor(onward, { sender: 'org:astra', recipient: 'org:men-via', purpose: 'return-travel', now: NOW })).toEqual({ ok: false, problem: { code: 'ConsentScope', detail: 'recipient' } });
    // a recipient may answer the controller about the case, within its own section
    expect(sectionFor(record, { sender: 'org:astra', recipient: 'org:lefoe-ibf', purpose: 'return-travel', now: NOW }).ok).toBe(true);
  });

  it('property: nothing outside the allowlist ever leaves, and the receiver accepts everything that did', () => {
    const pointer = fc.constantFrom('/person/givenName', '/person/phone', '/person/*', '/needs', '/notes', '/status', '/indicators', '/doNotContact');
    fc.assert(
      fc.property(fc.uniqueArray(pointer, { minLength: 1, maxLength: 6 }), (fields) => {
        const r = { ...record, processing: [{ ...record.processing[0]!, fields }] } as ConsentRecord;
        const out = projectCase(full, r, share);
        if (!out.ok) throw new Error('refused');
        for (const p of casePointers(out.value.case)) expect(allows(fields, p)).toBe(true);
        expect(checkReceived(out.value.case, r, { ...share, recipient: 'org:astra' }).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkReceived: the receiver re-checks', () => {
  it('names the first field the consent does not cover', () => {
    expect(checkReceived({ person: { givenName: 'M' }, status: { victimStatus: 'presumed' } }, record, share)).toEqual({ ok: false, problem: { code: 'ConsentScope', detail: '/status' } });
    expect(checkReceived({ needs: ['shelter'] }, record, share)).toEqual({ ok: true, value: ['/needs'] });
    expect(checkReceived(undefined, record, share)).toEqual({ ok: true, value: [] });
  });
});
