import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STORY, STORY_KEYS } from '../../cli/demo/story.js';
import { LANGS } from '../../cli/i18n/index.js';

/**
 * The demo, black box: the real `corridor` binary (dist/cli/main.js, what `npm start` runs) in a
 * subprocess starts three real node processes and tells the story; with `--json` it reports
 * every step's state, and each is checked here. Also: the story exists in every language.
 */

const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function corridor(args: string[], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', LANG: 'en_GB.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not finish in time:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

type Step = { id: string; org: string; state: Record<string, any> };

describe('corridor demo (the real binary, three real node processes)', () => {
  it('runs the whole story and reports every state with --json', async () => {
    const { code, stdout, stderr } = await corridor(['demo', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { complete: boolean; steps: Step[]; kept: boolean };
    expect(report).toMatchObject({ complete: true, kept: false });
    const step = (id: string) => {
      const s = report.steps.find((x) => x.id === id);
      if (!s) throw new Error(`no step ${id}`);
      return s.state;
    };
    expect(report.steps.map((s) => s.id)).toEqual(['network', 'search', 'consent', 'offer-received', 'accepted', 'handover', 'ledger', 'return-handover', 'trip', 'offline', 'caught-up', 'withdrawn']);
    expect(step('network')).toMatchObject({ version: 1, fresh: true });
    expect(step('network').organisations).toBeGreaterThanOrEqual(10);
    expect(step('search').total).toBeGreaterThan(0);
    expect(step('consent')).toMatchObject({ version: 1 });
    // the offer identifies nobody; the contact is Open Gate's case worker
    expect(step('offer-received')).toMatchObject({ state: 'offered', theirContact: { name: 'Elena (Open Gate)' } });
    expect(JSON.stringify(step('offer-received').offer)).not.toMatch(/Marija|Demo|\+000/);
    expect(step('accepted')).toMatchObject({ state: 'accepted', theirContact: { name: 'Jelena (ASTRA)' } });
    expect(step('handover')).toEqual({ state: 'handed-over', person: { givenName: 'Marija', familyName: 'Demo', languages: ['sr'] }, hasNotes: false, hasPhone: false });
    expect(step('ledger').disclosures).toEqual([{ org: 'org:astra', fields: expect.arrayContaining(['/person/givenName', '/needs', '/riskAssessment']) }]);
    expect(step('return-handover')).toMatchObject({ state: 'handed-over' });
    expect(step('trip').tasks).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'tickets', owner: 'org:astra' }), expect.objectContaining({ kind: 'airport-pickup', owner: 'org:lefoe-ibf' })]));
    expect(step('offline')).toEqual({ astraRunning: false });
    expect(step('caught-up').tasks).toContainEqual({ kind: 'airport-pickup', status: 'in-progress' });
    expect(step('withdrawn')).toMatchObject({ status: 'withdrawn', notices: [{ org: 'org:astra', status: 'received' }], astraCase: { state: 'purged', data: null } });
  }, 150_000);

  it('tells the story in the language asked for', async () => {
    const { code, stdout } = await corridor(['demo', '--lang', 'mk']);
    expect(code).toBe(0);
    expect(stdout).toContain(STORY.mk['demo.done']);
    expect(stdout).toContain('[ASTRA]');
  }, 150_000);
});

describe('the demo story', () => {
  it('has every sentence in every language, with the same placeholders', () => {
    for (const lang of LANGS) {
      for (const key of STORY_KEYS) {
        const text = STORY[lang][key];
        expect(text, `${lang} ${key}`).toBeTruthy();
        const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(names(text), `${lang} ${key}`).toEqual(names(STORY.en[key]));
      }
    }
  });
});
