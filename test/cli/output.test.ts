import { describe, expect, it } from 'vitest';
import { colourAllowed } from '../../cli/config.js';
import { createOutput, displayWidth } from '../../cli/output.js';
import { captureIo, runCli } from '../helpers/cli-io.js';

const ESC = '\u001b[';
const at = Date.UTC(2025, 2, 12, 14, 5) / 1000; // 12 March 2025, 14:05 UTC

function output(lang: 'en' | 'sr' | 'mk' | 'sq' | 'de', options: { tty?: boolean; color?: boolean; json?: boolean } = {}) {
  const captured = captureIo(options.tty ?? false);
  const out = createOutput({ io: captured.io, lang, json: options.json ?? false, color: options.color ?? false, timeZone: 'UTC' });
  return { out, ...captured };
}

describe('output: dates and numbers follow the language', () => {
  it('formats the same moment per locale', () => {
    expect(output('en').out.date(at)).toBe('12 Mar 2025, 14:05');
    expect(output('de').out.date(at)).toBe('12.03.2025, 14:05');
    expect(output('sr').out.date(at)).toMatch(/^12\. ?3\. ?2025\./);
    expect(output('mk').out.date(at)).toMatch(/мар/);
    expect(output('sq').out.date(at)).toMatch(/mar 2025/);
    expect(output('en').out.dateMs(at * 1000)).toBe(output('en').out.date(at));
  });

  it('reads a licence date as a calendar day, whatever the time zone', () => {
    expect(output('en').out.day('2027-01-31')).toBe('31 Jan 2027');
    expect(output('de').out.day('2027-01-31')).toBe('31.01.2027');
    expect(output('en').out.day('not a date')).toBe('not a date');
  });

  it('numbers, sizes, country and language names are localised', () => {
    expect(output('en').out.number(1234567)).toBe('1,234,567');
    expect(output('sr').out.number(1234567)).toBe('1.234.567');
    expect(output('en').out.bytes(2_500_000)).toBe('2.5 MB');
    expect(output('en').out.bytes(1500)).toBe('1.5 kB');
    expect(output('de').out.country('AT')).toBe('Österreich (AT)');
    expect(output('sr').out.country('AT')).toBe('Austrija (AT)');
    expect(output('mk').out.language('sr')).toBe('српски');
    expect(output('en').out.country('Serbia')).toBe('Serbia');
  });
});

describe('output: colours only for a person at a terminal', () => {
  it('never styles when colour is off (not a terminal)', () => {
    const { out, stdout } = output('en', { color: false });
    out.line(out.style('bad', 'STALE'));
    out.table(['A', 'B'], [['1', '2']]);
    expect(stdout()).not.toContain(ESC);
  });

  it('styles when colour is on', () => {
    const { out } = output('en', { color: true, tty: true });
    expect(out.style('bad', 'STALE')).toContain(ESC);
  });

  it('NO_COLOR and TERM=dumb turn colour off', () => {
    expect(colourAllowed({})).toBe(true);
    expect(colourAllowed({ NO_COLOR: '1' })).toBe(false);
    expect(colourAllowed({ NO_COLOR: '' })).toBe(true);
    expect(colourAllowed({ TERM: 'dumb' })).toBe(false);
  });

  it('the CLI colours its help on a terminal, and not when piped or under NO_COLOR', async () => {
    expect((await runCli(['--help'], { tty: true, env: { LANG: 'C' } })).stdout).toContain(ESC);
    expect((await runCli(['--help'], { tty: true, env: { LANG: 'C', NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await runCli(['--help'], { tty: false })).stdout).not.toContain(ESC);
  });

  it('progress appears only on a terminal, and not with --json', () => {
    const piped = output('en');
    piped.out.progress('Reading…');
    expect(piped.stderr()).toBe('');
    const tty = output('en', { tty: true });
    tty.out.progress('Reading…');
    tty.out.progressDone();
    expect(tty.stderr()).toContain('Reading…');
    const json = output('en', { tty: true, json: true });
    json.out.progress('Reading…');
    expect(json.stderr()).toBe('');
  });
});

describe('output: tables', () => {
  it('aligns columns by visible width, also for Cyrillic and accented text, with no trailing spaces', () => {
    const { out, stdout } = output('mk');
    out.table(['Организација', 'Место'], [['ASTRA', 'Beograd'], ['Отворена порта', 'Скопје'], ['LEFÖ-IBF', 'Wien']], (i) => (i === 0 ? ['зошто: RS'] : []));
    const lines = stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const column = lines[0]!.indexOf('Место');
    expect(lines[1]!.indexOf('Beograd')).toBe(column);
    expect(lines[3]!.indexOf('Скопје')).toBe(column);
    expect(lines[2]).toBe('  зошто: RS');
    for (const line of lines) expect(line).toBe(line.trimEnd());
    expect(displayWidth(`${ESC}1mЖена${ESC}22m`)).toBe(4);
  });

  it('--json output is the value itself', () => {
    const { out, stdout } = output('en', { json: true });
    out.data({ a: 1 });
    expect(JSON.parse(stdout())).toEqual({ a: 1 });
  });
});
