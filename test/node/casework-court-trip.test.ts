import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type CourtTripTask, type CourtTripTaskUpdate, messageType, newId } from '../../protocol/index.js';
import { type TripPlan, applyTaskUpdate, comparePlanFields, mergePlans } from '../../node/case/court-trip-merge.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';
import { CONTACT, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';

/**
 * The court return trip (DESIGN §6) over three real nodes: LEFÖ-IBF (Vienna) hands a case over
 * to ASTRA (Belgrade) with a consent that covers legal proceedings and return travel; LEFÖ-IBF
 * plans the trip to the hearing, ASTRA sees it; both edit while cut off from each other and hold
 * the same plan once they reconnect (the rule of node/case/court-trip-merge.ts); reminders and
 * the overdue list follow the clock. A plan the consent does not cover is refused at the sender
 * and quarantined at the receiver. The merge itself is checked with fast-check.
 */

let dn: DirectoryNetwork | undefined;
afterEach(async () => {
  await dn?.close();
  dn = undefined;
});

const FIELDS = ['/person/givenName', '/person/languages', '/needs'];
const ALL_PURPOSES = ['referral', 'assistance', 'legal-proceedings', 'return-travel'];
const HEARING = { court: 'Landesgericht für Strafsachen Wien', city: 'Wien', country: 'AT', date: '2027-01-20', time: '09:30', reference: '041 Hv 17/26k' };
const net = () => dn as DirectoryNetwork;
const api = (name: string, method: string, path: string, body?: unknown) => net().api(name, method, path, body);
const ctxOf = (name: string) => net().net.nodes[name]!.node.ctx;
const PLAN = messageType('court-trip', 'plan');

/** LEFÖ-IBF refers the case to ASTRA and hands it over; returns the referral id and the ids */
async function handedOver(purposes: string[]) {
  const ids = await caseWithConsent(net(), 'lefoe-ibf', { recipients: ['org:astra'], purposes, fields: FIELDS });
  const offered = await api('lefoe-ibf', 'POST', '/api/v1/referrals', offerTo('org:astra', ids, { contact: CONTACT('Anna LEFÖ'), currentCountry: 'AT' }));
  expect(offered.status).toBe(201);
  await net().net.drain();
  await api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') });
  await net().net.drain();
  expect((await api('lefoe-ibf', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, {})).json.state).toBe('handed-over');
  await net().net.drain();
  return { referralId: offered.json.id as string, ...ids };
}

const taskOf = (plan: { tasks: CourtTripTask[] }, kind: string) => plan.tasks.find((t) => t.kind === kind)!;

describe('a court return trip planned by LEFÖ-IBF and ASTRA', () => {
  it('is shared, edited at both sides while cut off, converges after they reconnect, and reminds of what is due', async () => {
    dn = await startCaseworkNetwork();
    const { referralId } = await handedOver(ALL_PURPOSES);

    const created = await api('lefoe-ibf', 'POST', `/api/v1/referrals/${referralId}/court-trip`, {
      hearing: HEARING,
      mode: 'in-person',
      tasks: [
        { kind: 'tickets', owner: 'org:astra', due: '2026-12-10' },
        { kind: 'medical-certificate', owner: 'org:astra', due: '2026-12-05' },
        { kind: 'lawyer-meeting', owner: 'org:lefoe-ibf', due: '2027-01-19', note: 'Meeting with the victim’s lawyer at LEFÖ-IBF' },
        { kind: 'airport-pickup', owner: 'org:lefoe-ibf', due: '2027-01-19', note: 'Met at VIE arrivals by Anna (LEFÖ-IBF)' },
      ],
    });
    expect(created.status).toBe(201);
    const tripId = created.json.plan.tripId as string;
    expect(created.json.plan).toMatchObject({ referralId, revision: 0, mode: 'in-person', hearing: HEARING });
    expect(created.json.plan.tasks.map((t: CourtTripTask) => [t.kind, t.status])).toEqual([
      ['medical-certificate', 'open'],
      ['tickets', 'open'],
      ['lawyer-meeting', 'open'],
      ['airport-pickup', 'open'],
    ]);
    await net().net.drain();

    const atAstra = await api('astra', 'GET', `/api/v1/court-trips/${tripId}`);
    expect(atAstra.status).toBe(200);
    expect(atAstra.json).toEqual((await api('lefoe-ibf', 'GET', `/api/v1/court-trips/${tripId}`)).json);
    expect((await api('astra', 'GET', `/api/v1/referrals/${referralId}`)).json.events.map((e: { kind: string }) => e.kind)).toContain('court-trip-received');
    const ledger = (await api('lefoe-ibf', 'GET', `/api/v1/cases/${(await api('lefoe-ibf', 'GET', `/api/v1/referrals/${referralId}`)).json.caseId}`)).json.disclosures;
    expect(ledger.filter((d: { fields: string[] }) => d.fields.includes('/courtTrip')).map((d: { org: string; purpose: string }) => `${d.org} ${d.purpose}`)).toEqual(['org:astra legal-proceedings', 'org:astra return-travel']);

    // cut off: both change the hearing time, the same task (ASTRA later), and each adds a task
    net().net.cutBetween('astra', 'lefoe-ibf');
    const tickets = taskOf(created.json.plan, 'tickets').taskId;
    const medical = taskOf(created.json.plan, 'medical-certificate').taskId;
    const [interpreter, perDiem] = [newId(net().net.clock.now()), newId(net().net.clock.now())];
    expect((await api('lefoe-ibf', 'PATCH', `/api/v1/court-trips/${tripId}`, { hearing: { time: '10:00' } })).json.plan).toMatchObject({ revision: 1, hearing: { time: '10:00' } });
    expect((await api('lefoe-ibf', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${tickets}`, { status: 'in-progress', note: 'Bus Belgrade–Vienna on hold' })).status).toBe(200);
    expect((await api('lefoe-ibf', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${medical}`, { due: '2026-12-04' })).status).toBe(200);
    expect((await api('lefoe-ibf', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${interpreter}`, { kind: 'interpreter', owner: 'org:lefoe-ibf', due: '2027-01-20', note: 'Serbian, court-certified' })).status).toBe(201);
    await net().net.drain();
    net().net.clock.advance({ minutes: 5 });
    expect((await api('astra', 'PATCH', `/api/v1/court-trips/${tripId}`, { hearing: { time: '11:15' } })).json.plan.revision).toBe(1);
    expect((await api('astra', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${tickets}`, { status: 'done', note: 'Flight JU 330 BEG–VIE booked' })).status).toBe(200);
    expect((await api('astra', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${perDiem}`, { kind: 'per-diem', owner: 'org:astra', due: '2026-12-12' })).status).toBe(201);
    await net().net.drain();
    const lefoeAlone = (await api('lefoe-ibf', 'GET', `/api/v1/court-trips/${tripId}`)).json.plan;
    const astraAlone = (await api('astra', 'GET', `/api/v1/court-trips/${tripId}`)).json.plan;
    expect(lefoeAlone.tasks.map((t: CourtTripTask) => t.taskId)).not.toContain(perDiem);
    expect(astraAlone.tasks.map((t: CourtTripTask) => t.taskId)).not.toContain(interpreter);

    net().net.healBetween('astra', 'lefoe-ibf');
    net().net.clock.advance({ hours: 7 }); // past the largest backoff
    await net().net.drain();

    const lefoe = (await api('lefoe-ibf', 'GET', `/api/v1/court-trips/${tripId}`)).json;
    const astra = (await api('astra', 'GET', `/api/v1/court-trips/${tripId}`)).json;
    expect(astra).toEqual(lefoe);
    const plan = lefoe.plan;
    // the rule: the hearing of the same revision is settled by its canonical form; tasks: union, last writer per task
    const winner = comparePlanFields(lefoeAlone, astraAlone) > 0 ? lefoeAlone : astraAlone;
    expect(plan).toMatchObject({ revision: 1, hearing: winner.hearing, mode: 'in-person' });
    expect(['10:00', '11:15']).toContain(plan.hearing.time);
    expect(plan.tasks).toHaveLength(6);
    expect(taskOf(plan, 'tickets')).toMatchObject({ status: 'done', note: 'Flight JU 330 BEG–VIE booked', updatedAt: taskOf(astraAlone, 'tickets').updatedAt });
    expect(taskOf(plan, 'medical-certificate')).toMatchObject({ due: '2026-12-04', status: 'open' });
    expect(taskOf(plan, 'interpreter')).toMatchObject({ taskId: interpreter, owner: 'org:lefoe-ibf', note: 'Serbian, court-certified' });
    expect(taskOf(plan, 'per-diem')).toMatchObject({ taskId: perDiem, owner: 'org:astra' });
    expect(taskOf(plan, 'airport-pickup').note).toBe('Met at VIE arrivals by Anna (LEFÖ-IBF)');
    for (const name of ['astra', 'lefoe-ibf']) expect(ctxOf(name).casework.referralStore.quarantined()).toEqual([]);

    // reminders (not done, due within N days) and overdue, by the clock (2026-11-28 now)
    const soon = (await api('astra', 'GET', `/api/v1/court-trips/${tripId}?days=10`)).json;
    expect(soon.today).toBe('2026-11-28');
    expect(soon.reminders.map((t: CourtTripTask) => t.kind)).toEqual(['medical-certificate']);
    expect(soon.overdue).toEqual([]);
    net().net.clock.advance({ days: 9 }); // 2026-12-07
    const later = (await api('lefoe-ibf', 'GET', `/api/v1/court-trips/${tripId}`)).json;
    expect(later.reminders.map((t: CourtTripTask) => t.kind)).toEqual(['per-diem']);
    expect(later.overdue.map((t: CourtTripTask) => t.kind)).toEqual(['medical-certificate']);
    expect((await api('lefoe-ibf', 'GET', '/api/v1/court-trips?overdue=1')).json.overdue).toEqual([expect.objectContaining({ tripId, referralId, taskId: medical, owner: 'org:astra', mine: false })]);
    expect((await api('astra', 'GET', '/api/v1/court-trips?overdue=1')).json.overdue).toEqual([expect.objectContaining({ taskId: medical, mine: true })]);
    // across trips (the inbox): also what is due within 7 days, or ?days=N; each trip with its place and task counts
    const due = (await api('lefoe-ibf', 'GET', '/api/v1/court-trips?overdue=1')).json;
    expect(due).toMatchObject({ today: '2026-12-07', days: 7 });
    expect(due.dueSoon).toEqual([expect.objectContaining({ tripId, referralId, taskId: perDiem, kind: 'per-diem', owner: 'org:astra', mine: false })]);
    const later60 = (await api('lefoe-ibf', 'GET', '/api/v1/court-trips?overdue=1&days=60')).json.dueSoon.map((t: CourtTripTask) => t.kind);
    expect([later60[0], [...later60].sort()]).toEqual(['per-diem', ['airport-pickup', 'interpreter', 'lawyer-meeting', 'per-diem']]);
    expect((await api('lefoe-ibf', 'GET', '/api/v1/court-trips?overdue=1&days=soon')).json).toMatchObject({ error: { code: 'InvalidRequest', issues: [{ path: 'days' }] } });
    expect((await api('lefoe-ibf', 'GET', '/api/v1/court-trips')).json.trips).toEqual([
      expect.objectContaining({ tripId, hearing: { date: '2027-01-20', court: HEARING.court, city: 'Wien', country: 'AT' }, mode: 'in-person', tasks: { total: 6, open: 5, dueSoon: 1, overdue: 1 } }),
    ]);
    expect((await api('lefoe-ibf', 'GET', '/api/v1/session')).json.org).toBe('org:lefoe-ibf');
    await api('astra', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${medical}`, { status: 'done', note: 'Certificate from the Belgrade clinic' });
    await net().net.drain();
    for (const name of ['astra', 'lefoe-ibf']) expect((await api(name, 'GET', '/api/v1/court-trips?overdue=1')).json.overdue).toEqual([]);
    expect((await api('lefoe-ibf', 'GET', '/api/v1/court-trips')).json.trips).toEqual([expect.objectContaining({ tripId, referralId, hearingDate: '2027-01-20' })]);

    // a forged plan under a consent version ASTRA does not hold: quarantined, never applied
    const fake = { id: lefoe.plan.consent.id, hash: 'A'.repeat(43) };
    const forgedTrip = newId(net().net.clock.now());
    ctxOf('lefoe-ibf').messages.send({ to: 'node:astra', typ: PLAN, thid: referralId, consent: fake, body: { ...plan, tripId: forgedTrip, consent: fake } });
    await net().net.drain();
    expect(ctxOf('astra').casework.referralStore.quarantined()).toEqual([expect.objectContaining({ sender: 'node:lefoe-ibf', typ: PLAN, code: 'ConsentMissing', detail: 'consent' })]);
    expect((await api('astra', 'GET', `/api/v1/court-trips/${forgedTrip}`)).status).toBe(404);
  });

  it('refuses a plan the consent does not cover (by purpose, naming it) at the sender, quarantines one at the receiver, and checks input by field', async () => {
    dn = await startCaseworkNetwork();
    // a consent for legal proceedings but not for return travel: a video link only
    const { referralId, consentId } = await handedOver(['referral', 'legal-proceedings']);
    const inPerson = await api('lefoe-ibf', 'POST', `/api/v1/referrals/${referralId}/court-trip`, { hearing: HEARING, mode: 'in-person' });
    expect(inPerson).toMatchObject({ status: 403, json: { error: { code: 'ConsentScope', issues: [{ path: 'purpose' }] } } });
    expect(inPerson.json.error.message).toContain('return-travel');
    const video = await api('astra', 'POST', `/api/v1/referrals/${referralId}/court-trip`, { hearing: HEARING, mode: 'video-link', tasks: [{ kind: 'video-link-setup', owner: 'org:astra', due: '2027-01-18' }] });
    expect(video.status).toBe(201);
    const tripId = video.json.plan.tripId as string;
    expect((await api('astra', 'PATCH', `/api/v1/court-trips/${tripId}`, { mode: 'in-person' })).json.error).toMatchObject({ code: 'ConsentScope', issues: [{ path: 'purpose' }] });
    expect((await api('astra', 'GET', `/api/v1/court-trips/${tripId}`)).json.plan).toMatchObject({ mode: 'video-link', revision: 0 });
    await net().net.drain();
    expect((await api('lefoe-ibf', 'GET', `/api/v1/court-trips/${tripId}`)).json.plan.mode).toBe('video-link');

    // a tampered ASTRA node sends the trip in person anyway: LEFÖ-IBF checks the consent again
    const held = ctxOf('astra').casework.consents.latest(consentId)!;
    const ref = { id: held.record.id, hash: held.hash };
    const { plan } = (await api('astra', 'GET', `/api/v1/court-trips/${tripId}`)).json;
    ctxOf('astra').messages.send({ to: 'node:lefoe-ibf', typ: PLAN, thid: referralId, consent: ref, body: { ...plan, consent: ref, mode: 'in-person', revision: 5 } });
    await net().net.drain();
    expect(ctxOf('lefoe-ibf').casework.referralStore.quarantined()).toEqual([expect.objectContaining({ typ: PLAN, code: 'ConsentScope', detail: 'purpose' })]);
    expect((await api('lefoe-ibf', 'GET', `/api/v1/court-trips/${tripId}`)).json.plan).toMatchObject({ mode: 'video-link', revision: 0 });

    // input: strict, by field path, no echo
    const task = newId(net().net.clock.now());
    const missing = await api('astra', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${task}`, { status: 'open' });
    expect(missing).toMatchObject({ status: 400, json: { error: { code: 'InvalidRequest', issues: [{ path: 'kind', problem: 'required' }, { path: 'owner' }, { path: 'due' }] } } });
    const unknown = await api('astra', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${task}`, { kind: 'tickets', owner: 'org:astra', due: '2027-01-10', passport: 'RS1234567' });
    expect(unknown).toMatchObject({ status: 400, json: { error: { issues: [{ path: '(root)', problem: 'unrecognized_keys' }] } } });
    expect(JSON.stringify(unknown.json)).not.toContain('RS1234567');
    const badDate = await api('astra', 'PATCH', `/api/v1/court-trips/${tripId}`, { hearing: { date: '2027-02-30' } });
    expect(badDate.json.error.issues).toEqual([expect.objectContaining({ path: 'hearing.date' })]);
    const stranger = await api('astra', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${task}`, { kind: 'accommodation', owner: 'org:open-gate', due: '2027-01-19' });
    expect(stranger.json.error.issues).toEqual([{ path: 'owner', problem: 'not_a_party' }]);
    const setup = video.json.plan.tasks[0].taskId as string;
    expect((await api('astra', 'PUT', `/api/v1/court-trips/${tripId}/tasks/${setup}`, { kind: 'tickets' })).json.error.issues).toEqual([{ path: 'kind', problem: 'immutable' }]);
    expect((await api('astra', 'PUT', `/api/v1/court-trips/${tripId}/tasks/not-a-ulid`, {})).json.error.issues).toEqual([{ path: 'taskId', problem: 'invalid_format' }]);
    expect((await api('astra', 'GET', '/api/v1/court-trips?overdue=yes')).status).toBe(400);
    expect((await api('astra', 'GET', `/api/v1/court-trips/${newId(0)}`)).status).toBe(404);
  });
});

describe('the merge of court trip edits (pure)', () => {
  const TRIP = newId(1_700_000_000_000);
  const REF = newId(1_700_000_000_001);
  const IDS = [1, 2, 3, 4].map((i) => newId(1_700_000_000_000 + i * 1000));
  const KINDS = ['tickets', 'medical-certificate', 'airport-pickup', 'interpreter'] as const;
  const kindOf = (id: string) => KINDS[IDS.indexOf(id)]!;
  const base: TripPlan = {
    tripId: TRIP,
    referralId: REF,
    hearing: { court: 'LG Wien', city: 'Wien', country: 'AT', date: '2027-01-20', time: '09:30' },
    mode: 'in-person',
    tasks: IDS.slice(0, 3).map((taskId) => ({ taskId, kind: kindOf(taskId), owner: 'org:astra', due: '2026-12-10', status: 'open' as const, updatedAt: 0 })),
    revision: 0,
  };
  const owner = fc.constantFrom('org:astra', 'org:lefoe-ibf');
  const due = fc.constantFrom('2026-12-05', '2026-12-10');
  const status = fc.constantFrom('open', 'in-progress', 'done', 'cancelled') as fc.Arbitrary<CourtTripTask['status']>;
  const note = fc.constantFrom('', 'Met by Anna', 'Flight booked');
  const time = fc.integer({ min: 0, max: 3 });
  const task = (taskId: string): fc.Arbitrary<CourtTripTask> =>
    fc.record({ owner, due, status, note, updatedAt: time }).map(({ note: n, ...t }) => ({ taskId, kind: kindOf(taskId), ...t, ...(n ? { note: n } : {}) }));
  const plan: fc.Arbitrary<TripPlan> = fc
    .record({ revision: fc.integer({ min: 0, max: 2 }), time: fc.constantFrom('09:30', '10:00', '11:15'), mode: fc.constantFrom('in-person', 'video-link') as fc.Arbitrary<TripPlan['mode']>, ids: fc.subarray(IDS) })
    .chain((p) => fc.tuple(...p.ids.map(task)).map((tasks) => ({ ...base, revision: p.revision, mode: p.mode, hearing: { ...base.hearing, time: p.time }, tasks })));
  const update: fc.Arbitrary<CourtTripTaskUpdate> = fc
    .record({ taskId: fc.constantFrom(...IDS.slice(0, 3)), status, note, due, owner, updatedAt: time })
    .map((u) => ({ tripId: TRIP, revision: 0, ...u }));
  type Change = { plan: TripPlan } | { update: CourtTripTaskUpdate };
  const change: fc.Arbitrary<Change> = fc.oneof(plan.map((p) => ({ plan: p })), update.map((u) => ({ update: u })));
  const apply = (s: TripPlan, c: Change) => ('plan' in c ? mergePlans(s, c.plan) : applyTaskUpdate(s, c.update));
  const fold = (cs: Change[]) => cs.reduce(apply, base);

  it('gives the same plan whatever the order, and again when an edit arrives twice (fast-check)', () => {
    const orders = fc.array(change, { maxLength: 10 }).chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length })));
    fc.assert(
      fc.property(orders, ([one, other]) => {
        const merged = fold(one);
        expect(fold(other)).toEqual(merged);
        expect(fold([...one, ...other])).toEqual(merged);
      }),
      { numRuns: 300 },
    );
  });

  it('is commutative, associative and idempotent on whole plans (fast-check)', () => {
    fc.assert(
      fc.property(plan, plan, plan, (a, b, c) => {
        expect(mergePlans(a, b)).toEqual(mergePlans(b, a));
        expect(mergePlans(mergePlans(a, b), c)).toEqual(mergePlans(a, mergePlans(b, c)));
        expect(mergePlans(mergePlans(a, b), b)).toEqual(mergePlans(a, b));
      }),
      { numRuns: 300 },
    );
  });
});
