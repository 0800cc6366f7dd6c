import { styleText } from 'node:util';
import { LANGUAGES, type Lang } from './i18n/index.js';

/**
 * Everything the CLI writes goes through here: human lines and hand-made aligned tables on
 * stdout, problems on stderr, `--json` for machines. Colours only when stdout is a terminal and
 * NO_COLOR is unset (the caller decides, `color`); progress only on a terminal's stderr. Dates
 * and numbers follow the language's locale.
 */

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** a password: asked without echo on a terminal, else the first line of standard input (cli/main.ts); absent in tests */
  readSecret?(prompt: string): Promise<string | null>;
}

export type Style = 'ok' | 'warn' | 'bad' | 'strong' | 'dim';

const STYLES: Record<Style, Parameters<typeof styleText>[0]> = {
  ok: 'green',
  warn: ['bold', 'yellow'],
  bad: ['bold', 'red'],
  strong: 'bold',
  dim: 'dim',
};

export interface OutputOptions {
  io: Io;
  lang: Lang;
  json: boolean;
  color: boolean;
  /** IANA zone for dates; the system's when absent (tests pin it) */
  timeZone?: string;
}

export interface Output {
  readonly json: boolean;
  readonly lang: Lang;
  readonly locale: string;
  /** one line on stdout */
  line(text?: string): void;
  /** one line on stderr */
  problem(text: string): void;
  /** a JSON value on stdout, for machines */
  data(value: unknown): void;
  style(style: Style, text: string): string;
  /** an aligned table; `after(i)` may add indented lines under row i */
  table(headers: string[], rows: string[][], after?: (i: number) => string[]): void;
  /** unix seconds → date and time */
  date(unixSeconds: number): string;
  /** milliseconds → date and time */
  dateMs(ms: number): string;
  /** `YYYY-MM-DD` → a calendar date */
  day(isoDate: string): string;
  number(n: number): string;
  bytes(n: number): string;
  country(code: string): string;
  language(code: string): string;
  /** a transient status line on a terminal's stderr (nothing elsewhere) */
  progress(text: string): void;
  progressDone(): void;
}

/** Visible width of a string: code points, without ANSI styling. */
export function displayWidth(text: string): number {
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

export function createOutput(options: OutputOptions): Output {
  const { io, lang, json } = options;
  const { locale } = LANGUAGES[lang];
  const zone = options.timeZone === undefined ? {} : { timeZone: options.timeZone };
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...zone });
  const calendarDay = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const numbers = new Intl.NumberFormat(locale);
  const regions = safeDisplayNames(locale, 'region');
  const languages = safeDisplayNames(locale, 'language');
  const progressOn = io.stderrIsTTY && !json;
  let progressShown = false;

  const style = (kind: Style, text: string) => (options.color ? styleText(STYLES[kind], text, { validateStream: false }) : text);

  const out: Output = {
    json,
    lang,
    locale,
    line: (text = '') => io.stdout(`${text}\n`),
    problem: (text) => {
      out.progressDone();
      io.stderr(`${text}\n`);
    },
    data: (value) => io.stdout(`${JSON.stringify(value, null, 2)}\n`),
    style,
    table(headers, rows, after) {
      const widths = headers.map((h, c) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))));
      const render = (cells: string[]) =>
        cells
          .map((cell, c) => (c === cells.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[c] ?? 0) - displayWidth(cell)))))
          .join('  ')
          .trimEnd();
      io.stdout(`${style('strong', render(headers))}\n`);
      rows.forEach((row, i) => {
        io.stdout(`${render(row)}\n`);
        for (const extra of after?.(i) ?? []) io.stdout(`  ${extra}\n`);
      });
    },
    date: (s) => dateTime.format(new Date(s * 1000)),
    dateMs: (ms) => dateTime.format(new Date(ms)),
    day(iso) {
      const d = new Date(`${iso}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? iso : calendarDay.format(d);
    },
    number: (n) => numbers.format(n),
    bytes: (n) => formatBytes(n, locale),
    country: (code) => {
      const name = /^[A-Z]{2}$/.test(code) ? regions?.of(code) : undefined;
      return name && name !== code ? `${name} (${code})` : code;
    },
    language: (code) => {
      const name = /^[a-z]{2,3}$/.test(code) ? languages?.of(code) : undefined;
      return name && name !== code ? name : code;
    },
    progress(text) {
      if (!progressOn) return;
      io.stderr(`\r\u001b[2K${text}`);
      progressShown = true;
    },
    progressDone() {
      if (!progressShown) return;
      io.stderr('\r\u001b[2K');
      progressShown = false;
    },
  };
  return out;
}

function safeDisplayNames(locale: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([locale], { type, fallback: 'code' });
  } catch {
    return null;
  }
}

export function formatBytes(n: number, locale: string): string {
  const units = [
    ['megabyte', 1_000_000],
    ['kilobyte', 1000],
  ] as const;
  for (const [unit, size] of units) {
    if (n >= size) return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(n / size);
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(n);
}
