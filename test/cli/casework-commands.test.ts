import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseShow } from '../../cli/actions/case.js';
import { inbox } from '../../cli/actions/mailbox.js';
import { actionContext, cliOnNetwork, runCli } from '../helpers/cli-io.js';
import { closedPort } from '../helpers/cli-servers.js';
import { startCaseworkNetwork } from '../helpers/casework.js';
import { DAY_MS, type DirectoryNetwork } from '../helpers/directory-network.js';

/**
 * The case-work commands over three real nodes in this process (Open Gate, ASTRA, LEFÖ-IBF):
 * open a case, record the consent, refer Open Gate → ASTRA, ASTRA accepts, hand over, show the
 * ledger; and the refusals a case worker must understand in one line, without personal data.
 */

let dn: DirectoryNetwork;
let work: string;
const { at, cli, json, oneLine } = cliOnNetwork(() => dn, /\n\s+at |Error:|Marija|Testović|555 0199/);
/** a day `days` after the network's clock, YYYY-MM-DD */
const dayAfter = (days: number) => new Date(dn.net.clock.now() + days * DAY_MS).toISOString().slice(0, 10);

const PERSON = ['--given-name', 'Marija', '--family-name', 'Testović', '--birth-date', '2001-04-17', '--age-band', '18-25', '--gender', 'female'];
const FIELDS = ['/person/givenName', '/person/familyName', '/person/languages', '/needs'];
const consentArgs = (to: string[]) => [
  ...to.flatMap((o) => ['--to', o]),
  '--purpose', 'referral',
  ...FIELDS.flatMap((f) => ['--field', f]),
  '--expires', dayAfter(180),
  '--given-by', 'data-subject',
  '--method', 'written',
  '--language', 'sr',
  '--interpreter',
  '--jurisdiction', 'MK',
  '--staff', 'staff:og-7',
];
const offerArgs = (caseId: string, consentId: string, to = 'org:astra') =>
  [caseId, '--to', to, '--consent', consentId, '--purpose', 'referral', '--need', 'shelter', '--need', 'legal-aid', '--urgency', 'urgent', '--country', 'MK', '--destination', 'RS', '--contact-name', 'Elena Open Gate'];

beforeAll(async () => {
  dn = await startCaseworkNetwork();
  work = mkdtempSync(join(tmpdir(), 'corridor-cli-case-'));
});
afterAll(async () => {
  await dn.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a referral Open Gate → ASTRA, command by command', () => {
  let caseId = '';
  let consentId = '';
  let referralId = '';

  it('case create: from flags and a file (the flags win), prints the id', async () => {
    const file = join(work, 'case.json');
    writeFileSync(file, JSON.stringify({ person: { givenName: 'Someone else', phone: '+381 64 555 0199' }, notes: 'Met at the border crossing.' }));
    const r = await cli('open-gate', 'case', 'create', '--from-file', file, ...PERSON, '--nationality', 'RS', '--language', 'sr', '--language', 'mk', '--need', 'shelter,legal-aid', '--status', 'presumed');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Case opened: \S+\n$/);
    caseId = r.stdout.trim().split(' ').at(-1) ?? '';
    const c = await json('open-gate', 'case', 'show', caseId);
    expect(c.data).toEqual({
      person: { givenName: 'Marija', familyName: 'Testović', dateOfBirth: '2001-04-17', ageBand: '18-25', gender: 'female', nationality: ['RS'], languages: ['sr', 'mk'], phone: '+381 64 555 0199' },
      status: { victimStatus: 'presumed' },
      needs: ['shelter', 'legal-aid'],
      notes: 'Met at the border crossing.',
    });
    expect((await json('open-gate', 'case', 'list')).cases.map((x: { id: string }) => x.id)).toContain(caseId);
  });

  it('case update: merges the person field by field', async () => {
    expect(await json('open-gate', 'case', 'update', caseId, '--child', '--need', 'shelter')).toMatchObject({ id: caseId, data: { person: { givenName: 'Marija', child: true }, needs: ['shelter'] } });
    await json('open-gate', 'case', 'update', caseId, '--no-child', '--need', 'shelter', '--need', 'legal-aid');
  });

  it('consent record: signed, version 1; show lists the version', async () => {
    const recorded = await json('open-gate', 'consent', 'record', caseId, ...consentArgs(['org:astra', 'org:nobody']));
    expect(recorded).toMatchObject({ id: expect.any(String), version: 1, hash: expect.any(String) });
    consentId = recorded.id;
    const shown = await json('open-gate', 'consent', 'show', consentId);
    expect(shown).toMatchObject({ id: consentId, status: 'given', versions: [{ version: 1, status: 'given' }] });
    const c = await json('open-gate', 'case', 'show', caseId);
    expect(c.consents).toEqual([expect.objectContaining({ id: consentId, status: 'given', local: true })]);
    expect(c.consents[0].processing[0]).toMatchObject({ recipients: ['org:astra', 'org:nobody'], fields: FIELDS, categories: ['identity', 'demographics', 'needs'] });
  });

  it('refer: an offer to ASTRA, nothing identifying in it', async () => {
    const r = await cli('open-gate', 'refer', ...offerArgs(caseId, consentId));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Referral \S+ offered to org:astra\. Nothing identifying was sent/);
    referralId = r.stdout.split(' ')[1] ?? '';
    await dn.net.drain();
    const offered = await json('astra', 'referral', 'show', referralId);
    expect(offered).toMatchObject({ direction: 'incoming', state: 'offered', peerOrg: 'org:open-gate', theirContact: { name: 'Elena Open Gate' } });
    expect(JSON.stringify(offered)).not.toMatch(/Marija|Testović|2001-04-17/);
  });

  it('inbox at ASTRA: the offer waits for an answer; the human view says how to answer', async () => {
    const box = await json('astra', 'inbox');
    expect(box.offers.map((o: { id: string }) => o.id)).toEqual([referralId]);
    expect(box.messages.received).toBeGreaterThan(0);
    const { ctx, stdout } = actionContext(at('astra').url, at('astra').token);
    expect(await inbox(ctx)).toBe(0);
    expect(stdout()).toMatch(/Referral offers waiting for your answer: 1/);
    expect(stdout()).toMatch(new RegExp(`${referralId}\\s+org:open-gate\\s+urgent\\s+shelter, legal aid`));
  });

  it('accept at ASTRA names the contact; Open Gate sees it', async () => {
    const accepted = await json('astra', 'referral', 'accept', referralId, '--contact-name', 'Jelena ASTRA', '--contact-email', 'jelena@example.org');
    expect(accepted.state).toBe('accepted');
    await dn.net.drain();
    const r = await cli('open-gate', 'referral', 'list');
    expect(r.stdout).toMatch(new RegExp(`${referralId}\\s+sent\\s+org:astra\\s+accepted\\s+Jelena ASTRA \\(jelena@example.org\\)`));
  });

  it('handover of a field the consent does not cover: refused, naming the field, nothing sent', async () => {
    const r = await cli('open-gate', 'handover', referralId, '--field', '/person/phone');
    expect(oneLine(r, 1)).toBe('The consent does not cover the field /person/phone. Nothing was sent.');
    expect((await json('open-gate', 'case', 'show', caseId)).disclosures).toEqual([]);
  });

  it('handover: exactly the consented fields, recorded in the ledger', async () => {
    const handed = await json('open-gate', 'handover', referralId);
    expect(handed.state).toBe('handed-over');
    await dn.net.drain();
    const atAstra = await json('astra', 'referral', 'show', referralId);
    expect(atAstra.state).toBe('handed-over');
    expect(atAstra.events.map((e: { kind: string }) => e.kind)).toEqual(['offer-received', 'accepted', 'handover-received']);
    const c = await json('open-gate', 'case', 'show', caseId);
    expect(c.referrals).toEqual([expect.objectContaining({ id: referralId, state: 'handed-over', peerOrg: 'org:astra', theirContact: expect.objectContaining({ name: 'Jelena ASTRA' }) })]);
    expect(c.disclosures).toEqual([expect.objectContaining({ org: 'org:astra', consentId, consentVersion: 1, referralId, purpose: 'referral' })]);
    expect([...c.disclosures[0].fields].sort()).toEqual([...FIELDS].sort());
    expect((await json('open-gate', 'outbox')).undelivered).toEqual([]);
  });

  it('case show, readable: the ledger says who received which fields under which consent version', async () => {
    const r = await cli('open-gate', 'case', 'show', caseId);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Case \S+ \(open, opened here\)/);
    expect(r.stdout).toContain('Name: Marija Testović');
    expect(r.stdout).toContain('Needs: shelter, legal aid');
    expect(r.stdout).toMatch(new RegExp(`${referralId}\\s+sent\\s+org:astra\\s+handed over\\s+Jelena ASTRA`));
    const ledger = r.stdout.slice(r.stdout.indexOf('Data given to other organisations'));
    expect(ledger).toMatch(new RegExp(`org:astra\\s+${consentId} version 1\\s+referral\\s+${referralId}`));
    expect(ledger).toMatch(/ {2}fields: .*\/person\/givenName/);
    const sr = actionContext(at('open-gate').url, at('open-gate').token, { lang: 'sr' });
    expect(await caseShow(sr.ctx, caseId)).toBe(0);
    expect(sr.stdout()).toContain('Podaci dati drugim organizacijama');
    expect(sr.stdout()).toMatch(new RegExp(`${consentId} verzija 1`));
  });

  it('referral show: the history with dates; news and close go through', async () => {
    const r = await cli('open-gate', 'referral', 'show', referralId, '--lang', 'de');
    expect(r.stdout).toMatch(/^Weitervermittlung \S+: gesendet, org:astra, übergeben/);
    expect(r.stdout).toMatch(/Kontakt bei org:astra: Jelena ASTRA/);
    expect(r.stdout).toMatch(/org:open-gate\s+Fall übergeben: /);
    // @NOTE a status alone is refused by the node today (referral/update is sealed as personal data, without a consent): news here carries a field again
    expect((await json('open-gate', 'referral', 'update', referralId, '--status', 'in-progress', '--field', '/needs')).state).toBe('handed-over');
    expect((await json('open-gate', 'case', 'show', caseId)).disclosures.map((d: { fields: string[] }) => d.fields)).toHaveLength(2);
    expect((await json('astra', 'referral', 'close', referralId, '--outcome', 'completed')).state).toBe('closed');
    await dn.net.drain();
    expect((await json('open-gate', 'referral', 'show', referralId)).state).toBe('closed');
  });
});

describe('refusals: one clear line, no personal data', () => {
  let caseId = '';
  let consentId = '';
  beforeAll(async () => {
    caseId = (await json('open-gate', 'case', 'create', ...PERSON)).id;
    consentId = (await json('open-gate', 'consent', 'record', caseId, ...consentArgs(['org:astra', 'org:nobody']))).id;
  });

  it('an unknown case', async () => {
    expect(oneLine(await cli('open-gate', 'case', 'show', '01JZZZZZZZZZZZZZZZZZZZZZZZ'), 1)).toBe('There is no case 01JZZZZZZZZZZZZZZZZZZZZZZZ on this node.');
    const r = await cli('open-gate', 'refer', ...offerArgs('01JZZZZZZZZZZZZZZZZZZZZZZZ', consentId), '--json');
    expect(oneLine(r, 1)).toBe('There is no case 01JZZZZZZZZZZZZZZZZZZZZZZZ on this node.');
    expect(JSON.parse(r.stdout).error.code).toBe('NotFound');
  });

  it('an organisation the consent names but the directory does not know', async () => {
    expect(oneLine(await cli('open-gate', 'refer', ...offerArgs(caseId, consentId, 'org:nobody')), 1)).toMatch(/^org:nobody is not in the directory with a Corridor node\./);
  });

  it('an organisation the consent does not name', async () => {
    expect(oneLine(await cli('open-gate', 'refer', ...offerArgs(caseId, consentId, 'org:lefoe-ibf')), 1)).toBe('The consent does not name org:lefoe-ibf as a recipient. Nothing was sent.');
  });

  it('a required option missing: usage, exit 2', async () => {
    const r = await cli('open-gate', 'refer', caseId, '--to', 'org:astra', '--consent', consentId, '--need', 'shelter');
    expect(oneLine(r, 2)).toBe('The option --purpose is required. Run "corridor refer --help".');
    expect(oneLine(await cli('open-gate', 'referral', 'decline', '01JZZZZZZZZZZZZZZZZZZZZZZZ'), 2)).toMatch(/--reason is required/);
    expect(oneLine(await cli('open-gate', 'case', 'show'), 2)).toMatch(/^CASE is missing/);
  });

  it('a date in the wrong format or that does not exist: usage, exit 2, the value not echoed', async () => {
    expect(oneLine(await cli('open-gate', 'case', 'create', '--birth-date', '17.04.2001'), 2)).toBe('--birth-date must be a date written YYYY-MM-DD, such as 2027-03-31.');
    const args = consentArgs(['org:astra']);
    args[args.indexOf('--expires') + 1] = '2027-02-30';
    expect(oneLine(await cli('open-gate', 'consent', 'record', caseId, ...args), 2)).toMatch(/^--expires must be a date/);
  });

  it('a consent longer than 12 months, and a bad file: exit 1, the paths named', async () => {
    const args = consentArgs(['org:astra']);
    args[args.indexOf('--expires') + 1] = dayAfter(400);
    expect(oneLine(await cli('open-gate', 'consent', 'record', caseId, ...args), 1)).toMatch(/at most 12 months/);
    const file = join(work, 'bad-case.json');
    writeFileSync(file, JSON.stringify({ person: { givenName: 'Marija', dateOfBirth: '17.04.2001', shoeSize: 38 } }));
    const r = await cli('open-gate', 'case', 'create', '--from-file', file);
    expect(oneLine(r, 1)).toBe(`The file ${file} does not have the expected shape (problems: 2). Nothing was sent.`);
    expect(r.stdout).toMatch(/\/person\/dateOfBirth: /);
    expect(r.stdout).not.toContain('17.04.2001');
  });

  it('the node not reachable: exit 3', async () => {
    const r = await runCli(['inbox', '--node', `http://127.0.0.1:${await closedPort()}`, '--data-dir', at('open-gate').dataDir]);
    expect(oneLine(r, 3)).toMatch(/cannot be reached/);
  });

  it('--help speaks the language asked for', async () => {
    const r = await runCli(['consent', 'record', '--help', '--lang', 'sq']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('regjistro pëlqimin e personit');
    expect(r.stdout).toContain('--given-by <data-subject|guardian|legal-representative>');
  });

  it('the directory expired: no new referral, and the line says how to refresh (last: moves the clock)', async () => {
    dn.net.clock.advance({ ms: 61 * DAY_MS });
    const r = await cli('open-gate', 'refer', ...offerArgs(caseId, consentId), '--lang', 'mk');
    expect(oneLine(r, 1)).toMatch(/^Именикот е истечен.*corridor directory sync\.$/);
  });
});
