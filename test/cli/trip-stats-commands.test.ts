import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOnNetwork } from '../helpers/cli-io.js';
import { CONTACT, caseWithConsent, offerTo, startCaseworkNetwork } from '../helpers/casework.js';
import type { DirectoryNetwork } from '../helpers/directory-network.js';

/**
 * `corridor trip plan|show|list|task|change` and `corridor stats` over three real nodes in this
 * process: LEFÖ-IBF (Vienna) hands a case over to ASTRA (Belgrade) under a consent for legal
 * proceedings and return travel, plans the court trip; ASTRA sees it and books the tickets;
 * LEFÖ-IBF sees that; the overdue list follows the node's clock. Then the statistics (JSON, CSV,
 * tables), and the refusals in one line: bad values (exit 2), unknown ids, a consent without
 * legal proceedings (the purpose named).
 */

let dn: DirectoryNetwork;
let work: string;
const { at, cli, json, oneLine } = cliOnNetwork(() => dn, /\n\s+at |Error:|Marija|Testović/);

const FIELDS = ['/person/givenName', '/person/languages', '/needs'];
const ALL = ['referral', 'legal-proceedings', 'return-travel'];

/** LEFÖ-IBF refers a case to ASTRA under a consent for these purposes, ASTRA accepts, LEFÖ-IBF hands it over */
async function handedOver(purposes: string[]): Promise<string> {
  const ids = await caseWithConsent(dn, 'lefoe-ibf', { recipients: ['org:astra'], purposes, fields: FIELDS });
  const offered = await dn.api('lefoe-ibf', 'POST', '/api/v1/referrals', offerTo('org:astra', ids, { contact: CONTACT('Anna LEFÖ'), currentCountry: 'AT' }));
  expect(offered.status).toBe(201);
  await dn.net.drain();
  expect((await dn.api('astra', 'POST', `/api/v1/referrals/${offered.json.id}/accept`, { contact: CONTACT('Jelena ASTRA') })).status).toBe(200);
  await dn.net.drain();
  expect((await dn.api('lefoe-ibf', 'POST', `/api/v1/referrals/${offered.json.id}/handover`, {})).json.state).toBe('handed-over');
  await dn.net.drain();
  return offered.json.id as string;
}

const HEARING = ['--court', 'Landesgericht für Strafsachen Wien', '--city', 'Wien', '--country', 'AT', '--date', '2027-01-20', '--time', '09:30', '--reference', '041 Hv 17/26k'];
const UNKNOWN = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

let referralId = '';
beforeAll(async () => {
  dn = await startCaseworkNetwork();
  work = mkdtempSync(join(tmpdir(), 'corridor-cli-trip-'));
  referralId = await handedOver(ALL);
});
afterAll(async () => {
  await dn.close();
  rmSync(work, { recursive: true, force: true });
});

type Task = { taskId: string; kind: string; owner: string; due: string; status: string; note?: string };
const kindOf = (tasks: Task[], kind: string) => tasks.find((t) => t.kind === kind) as Task;

describe('a court trip planned by LEFÖ-IBF with ASTRA, command by command', () => {
  let tripId = '';

  it('trip plan at LEFÖ-IBF: prints the trip id and the plan, in the case worker’s words', async () => {
    const r = await cli('lefoe-ibf', 'trip', 'plan', referralId, ...HEARING, '--mode', 'in-person', '--task', 'tickets:org:astra:2026-12-10', '--task', 'medical-certificate:astra:2026-12-05', '--task', 'airport-pickup:org:lefoe-ibf:2027-01-19');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const first = /^Court trip (\S+) planned on referral (\S+); sent to the other organisation\.\n/.exec(r.stdout);
    expect(first?.[2]).toBe(referralId);
    tripId = first?.[1] ?? '';
    expect(r.stdout).toContain('Hearing: 20 Jan 2027, 09:30, Landesgericht für Strafsachen Wien, Wien, Austria (AT)');
    expect(r.stdout).toContain('Case number at the court: 041 Hv 17/26k');
    expect(r.stdout).toContain('Mode: in person');
    expect(r.stdout).toMatch(/Task\s+What\s+Who\s+Due\s+Status\s+Note/);
    expect(r.stdout).toMatch(/\S{26}\s+medical certificate\s+org:astra\s+5 Dec 2026\s+open/);
    expect(r.stdout).toMatch(/airport pickup\s+org:lefoe-ibf\s+19 Jan 2027\s+open/);
    // today is 28 Nov 2026: the medical certificate is due within 7 days
    expect(r.stdout).toMatch(/Due in the next 7 days: 1\n {2}medical certificate: org:astra, by 5 Dec 2026\n/);
  });

  it('trip show at ASTRA after delivery: the same tasks (--json); readable in German', async () => {
    await dn.net.drain();
    const lefoe = await json('lefoe-ibf', 'trip', 'show', tripId);
    const astra = await json('astra', 'trip', 'show', tripId);
    expect(astra.plan.tasks).toEqual(lefoe.plan.tasks);
    expect(astra.plan.tasks.map((t: Task) => [t.kind, t.owner, t.due, t.status])).toEqual([
      ['medical-certificate', 'org:astra', '2026-12-05', 'open'],
      ['tickets', 'org:astra', '2026-12-10', 'open'],
      ['airport-pickup', 'org:lefoe-ibf', '2027-01-19', 'open'],
    ]);
    expect(astra).toMatchObject({ plan: { referralId, mode: 'in-person', hearing: { date: '2027-01-20', time: '09:30' } }, days: 7, today: '2026-11-28' });
    expect((await json('astra', 'trip', 'show', tripId, '--days', '30')).reminders.map((t: Task) => t.kind)).toEqual(['medical-certificate', 'tickets']);
    const de = await cli('astra', 'trip', 'show', tripId, '--lang', 'de');
    expect(de.stdout).toContain('Verhandlung: 20.01.2027, 09:30 Uhr, Landesgericht für Strafsachen Wien');
    expect(de.stdout).toMatch(/ärztliche Bestätigung\s+org:astra\s+05\.12\.2026\s+offen/);
    expect((await json('astra', 'trip', 'list')).trips).toEqual([expect.objectContaining({ tripId, referralId, hearingDate: '2027-01-20' })]);
  });

  it('trip task at ASTRA: the tickets are done; LEFÖ-IBF sees it once delivered', async () => {
    const tickets = kindOf((await json('astra', 'trip', 'show', tripId)).plan.tasks, 'tickets').taskId;
    const r = await cli('astra', 'trip', 'task', tripId, tickets, '--status', 'done', '--note', 'Flight JU 330 BEG–VIE booked');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Task ${tickets} \\(tickets\\) is now done; sent to the other organisation\\.`));
    await dn.net.drain();
    expect(kindOf((await json('lefoe-ibf', 'trip', 'show', tripId)).plan.tasks, 'tickets')).toMatchObject({ status: 'done', note: 'Flight JU 330 BEG–VIE booked' });
    expect((await cli('lefoe-ibf', 'trip', 'show', tripId)).stdout).toMatch(/tickets\s+org:astra\s+10 Dec 2026\s+done\s+Flight JU 330 BEG–VIE booked/);
  });

  it('trip task new at LEFÖ-IBF adds a task; trip change moves the hearing', async () => {
    const r = await cli('lefoe-ibf', 'trip', 'task', tripId, 'new', '--kind', 'interpreter', '--owner', 'org:lefoe-ibf', '--due', '2027-01-20', '--note', 'Serbian, court-certified');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Task \\S{26} \\(interpreter\\) added to court trip ${tripId}; sent to the other organisation\\.`));
    const changed = await cli('lefoe-ibf', 'trip', 'change', tripId, '--time', '10:00');
    expect(changed.stdout).toBe(`Court trip ${tripId} changed: hearing 20 Jan 2027, 10:00, in person; sent to the other organisation.\n`);
    await dn.net.drain();
    const astra = await json('astra', 'trip', 'show', tripId);
    expect(astra.plan).toMatchObject({ revision: 1, hearing: { time: '10:00' } });
    expect(kindOf(astra.plan.tasks, 'interpreter')).toMatchObject({ owner: 'org:lefoe-ibf', note: 'Serbian, court-certified', status: 'open' });
  });

  it('the overdue list follows the node’s clock; the owner sees "(us)"', async () => {
    expect((await cli('astra', 'trip', 'list', '--overdue')).stdout).toBe('No task is overdue (today is 28 Nov 2026).\n');
    dn.net.clock.advance({ days: 9 }); // 7 Dec 2026: the medical certificate (5 Dec) is late
    const medical = kindOf((await json('astra', 'trip', 'show', tripId)).plan.tasks, 'medical-certificate').taskId;
    const list = await cli('astra', 'trip', 'list', '--overdue');
    expect(list.stdout).toMatch(/^Overdue tasks on 7 Dec 2026: 1\n/);
    expect(list.stdout).toMatch(new RegExp(`${tripId}\\s+${medical}\\s+medical certificate\\s+org:astra \\(us\\)\\s+5 Dec 2026\\s+open`));
    expect((await json('lefoe-ibf', 'trip', 'list', '--overdue')).overdue).toEqual([expect.objectContaining({ tripId, taskId: medical, mine: false })]);
    const shown = await cli('lefoe-ibf', 'trip', 'show', tripId);
    expect(shown.stdout).toMatch(/medical certificate\s+org:astra\s+5 Dec 2026\s+open, overdue/);
    expect(shown.stdout).toContain('Overdue: 1\n  medical certificate: org:astra, by 5 Dec 2026\n');
    await json('astra', 'trip', 'task', tripId, medical, '--status', 'done');
    await dn.net.drain();
    expect((await json('lefoe-ibf', 'trip', 'list', '--overdue')).overdue).toEqual([]);
  });
});

describe('refusals: one clear line', () => {
  it('bad values: usage, exit 2, naming the option', async () => {
    const plan = (...extra: string[]) => cli('lefoe-ibf', 'trip', 'plan', referralId, ...HEARING, '--mode', 'in-person', ...extra);
    expect(oneLine(await plan('--date', '2027-02-30'), 2)).toBe('--date must be a date written YYYY-MM-DD, such as 2027-03-31.');
    expect(oneLine(await plan('--time', '9.30'), 2)).toBe('--time must be a time written HH:MM (24 hours), such as 09:30.');
    expect(oneLine(await plan('--mode', 'bus'), 2)).toBe('--mode must be one of: in-person, video-link.');
    expect(oneLine(await plan('--task', 'tickets:org:astra'), 2)).toMatch(/^--task must be written kind:owner:due/);
    expect(oneLine(await plan('--task', 'flight:org:astra:2026-12-10'), 2)).toMatch(/^--task must be written kind:owner:due/);
    expect(oneLine(await cli('lefoe-ibf', 'trip', 'plan', referralId, '--mode', 'video-link'), 2)).toBe('The option --court is required. Run "corridor trip plan --help".');
    expect(oneLine(await cli('lefoe-ibf', 'trip', 'task', UNKNOWN, 'new', '--kind', 'flight', '--owner', 'org:astra', '--due', '2026-12-10'), 2)).toMatch(/^--kind must be one of: tickets, medical-certificate, /);
    expect(oneLine(await cli('lefoe-ibf', 'trip', 'task', UNKNOWN, 'new', '--kind', 'tickets'), 2)).toBe('A new task needs --kind, --owner and --due. Run "corridor trip task --help".');
    expect(oneLine(await cli('lefoe-ibf', 'trip', 'task', UNKNOWN, UNKNOWN, '--status', 'finished'), 2)).toBe('--status must be one of: open, in-progress, done, cancelled.');
    expect(oneLine(await cli('lefoe-ibf', 'trip', 'show', UNKNOWN, '--days', 'many'), 2)).toMatch(/^--days must be a whole number from 0 to 365/);
    expect(oneLine(await cli('lefoe-ibf', 'stats', '--from', '2026-13'), 2)).toBe('--from must be a month written YYYY-MM, such as 2026-11.');
    expect(oneLine(await cli('lefoe-ibf', 'stats', '--format', 'xlsx'), 2)).toBe('--format must be one of: csv, json.');
  });

  it('an unknown trip or referral: exit 1, the id named; --json gives the wire error', async () => {
    expect(oneLine(await cli('astra', 'trip', 'show', UNKNOWN), 1)).toBe(`There is no court trip ${UNKNOWN} on this node.`);
    const r = await cli('astra', 'trip', 'task', UNKNOWN, 'new', '--kind', 'tickets', '--owner', 'astra', '--due', '2026-12-10', '--json');
    expect(oneLine(r, 1)).toBe(`There is no court trip ${UNKNOWN} on this node.`);
    expect(JSON.parse(r.stdout).error.code).toBe('NotFound');
    expect(oneLine(await cli('lefoe-ibf', 'trip', 'plan', UNKNOWN, ...HEARING, '--mode', 'video-link'), 1)).toBe(`There is no referral ${UNKNOWN} on this node.`);
  });

  it('a consent without legal proceedings: refused, the purpose named, nothing sent; in Serbian too', async () => {
    const other = await handedOver(['referral', 'assistance']);
    const r = await cli('lefoe-ibf', 'trip', 'plan', other, ...HEARING, '--mode', 'video-link');
    expect(oneLine(r, 1)).toBe('The consent does not allow the purpose "legal proceedings". Nothing was sent.');
    expect(oneLine(await cli('lefoe-ibf', 'trip', 'plan', other, ...HEARING, '--mode', 'in-person', '--lang', 'sr'), 1)).toBe('Pristanak ne dozvoljava svrhu "sudski postupak". Ništa nije poslato.');
    expect((await json('lefoe-ibf', 'trip', 'list')).trips).toHaveLength(1);
  });
});

describe('stats: anonymous counts, small ones suppressed', () => {
  beforeAll(async () => {
    // 2 referrals handed over so far; 4 more offers for a referral and 2 for legal proceedings: 8 in all
    const ids = await caseWithConsent(dn, 'lefoe-ibf', { recipients: ['org:astra'], purposes: ALL, fields: FIELDS });
    for (const purpose of ['referral', 'referral', 'referral', 'referral', 'legal-proceedings', 'legal-proceedings']) {
      expect((await dn.api('lefoe-ibf', 'POST', '/api/v1/referrals', offerTo('org:astra', ids, { purpose, contact: CONTACT('Anna LEFÖ'), currentCountry: 'AT' }))).status).toBe(201);
    }
  });
  const PERIOD = ['--from', '2026-11', '--to', '2026-12'];

  it('--json: the node’s report, "<5" and "suppressed" as it gives them', async () => {
    const report = await json('lefoe-ibf', 'stats', ...PERIOD);
    expect(report).toMatchObject({ from: '2026-11', to: '2026-12', org: 'org:lefoe-ibf', total: 8 });
    const type = report.dimensions.find((d: { name: string }) => d.name === 'referral-type');
    expect(type).toEqual({ name: 'referral-type', withheld: false, cells: [{ value: 'legal-proceedings', count: '<5' }, { value: 'referral', count: 'suppressed' }] });
    expect(await json('lefoe-ibf', 'stats', ...PERIOD, '--format', 'json')).toEqual(report);
  });

  it('tables for people: one per dimension, "<5" as is, and the note on suppression', async () => {
    const r = await cli('lefoe-ibf', 'stats', ...PERIOD);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Referrals from 2026-11 to 2026-12 at org:lefoe-ibf: 8\nCounts of 1 to 4 are shown as "<5"/);
    expect(r.stdout).toMatch(/Type of referral\s+Referrals\nlegal proceedings\s+<5\nreferral\s+suppressed\n/);
    expect(r.stdout).toMatch(/Direction\s+Referrals\nsent\s+8\n/);
    expect(r.stdout).toMatch(/Gender\s+Referrals\nfemale\s+8\n/);
    expect((await cli('lefoe-ibf', 'stats', ...PERIOD, '--lang', 'mk')).stdout).toMatch(/Вид на упатување\s+Упатувања\nсудска постапка\s+<5\nупатување\s+прикриено/);
  });

  it('--format csv: the node’s CSV as it gives it, on stdout or into a file', async () => {
    const r = await cli('lefoe-ibf', 'stats', ...PERIOD, '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('from,to,org,dimension,value,count\r\n2026-11,2026-12,org:lefoe-ibf,total,all,8\r\n')).toBe(true);
    expect(r.stdout).toContain('2026-11,2026-12,org:lefoe-ibf,referral-type,legal-proceedings,<5\r\n');
    const file = join(work, 'stats.csv');
    const saved = await cli('lefoe-ibf', 'stats', ...PERIOD, '--out', file);
    expect(saved.stdout).toMatch(new RegExp(`^Saved the statistics \\(CSV, .+\\) to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\n$`));
    expect(readFileSync(file, 'utf8')).toBe(r.stdout);
  });
});
