import { readFile } from 'node:fs/promises';
import { passphraseProblem } from '../protocol/index.js';
import { FileError, UsageError } from './errors.js';
import type { MessageId } from './i18n/index.js';
import type { Unlock } from './key-ring.js';
import type { CliApp } from './commands/shared.js';

/**
 * Where a passphrase (or a recovery key) comes from: a file named on the command line (first
 * line; for scripts and tests), the terminal without echo, or stdin when it is not a terminal
 * (a pipe). Never an argument or a variable: those end up in shell histories and `ps`.
 */

export async function firstLineOf(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(code === 'ENOENT' ? 'file.notFound' : 'file.unreadable', file, { cause: error });
  }
  return (text.split(/\r?\n/)[0] ?? '').slice(0, 4096);
}

/** The terminal, without echo: characters until Enter; Ctrl-C gives up. */
function askTerminal(prompt: string, app: CliApp): Promise<string> {
  const stdin = process.stdin;
  app.io.stderr(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      app.io.stderr('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      for (const c of chunk.toString('utf8')) {
        if (c === '\r' || c === '\n') return finish();
        if (c === '\u0003') return finish(new UsageError('passphrase.cancelled', {}));
        if (c === '\u007f' || c === '\b') text = [...text].slice(0, -1).join('');
        else if (c >= ' ') text += c;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

let piped: string[] | null = null;
/** stdin as lines, read once (a pipe can give the passphrase and then a new one). */
async function pipedLine(): Promise<string> {
  if (piped === null) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
      if (Buffer.concat(chunks).length > 16_384) break;
    }
    piped = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  }
  return piped.shift() ?? '';
}

export interface SecretRequest {
  /** the option that names a file instead (`--passphrase-file`), and its value */
  option: string;
  file: string | undefined;
  prompt: MessageId;
  /** a new passphrase: typed twice on a terminal, and checked for length */
  confirm?: MessageId;
}

export async function readSecret(app: CliApp, request: SecretRequest): Promise<string> {
  let value: string;
  if (request.file !== undefined && request.file !== '') value = await firstLineOf(request.file);
  else if (process.stdin.isTTY === true) {
    value = await askTerminal(`${app.t(request.prompt)} `, app);
    if (request.confirm !== undefined && value !== (await askTerminal(`${app.t(request.confirm)} `, app))) throw new UsageError('passphrase.mismatch', {});
  } else value = await pipedLine();
  if (value === '') throw new UsageError('passphrase.missing', { option: request.option });
  if (request.confirm !== undefined) {
    const problem = passphraseProblem(value);
    if (problem !== null) throw new UsageError(problem === 'too_short' ? 'passphrase.tooShort' : 'passphrase.tooLong', {});
  }
  return value;
}

/** What unlocks an existing key ring: the recovery key from its file, else the passphrase (file, terminal or pipe). */
export async function unlockFrom(app: CliApp, passphraseFile: string | undefined, recoveryKeyFile: string | undefined): Promise<Unlock> {
  if (recoveryKeyFile !== undefined && recoveryKeyFile !== '') return { recoveryKey: await firstLineOf(recoveryKeyFile) };
  return { passphrase: await readSecret(app, { option: '--passphrase-file', file: passphraseFile, prompt: 'passphrase.current' }) };
}
