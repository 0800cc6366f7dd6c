import type { MessageId, Params } from './i18n/index.js';

/**
 * The CLI's own failures, each carrying the message id that explains it to the person at the
 * keyboard. Answers from the node are `ProtocolError`s (cli/client.ts).
 */

export const EXIT = {
  ok: 0,
  /** the node refused, the file is wrong, the outcome is a failure */
  failed: 1,
  /** the command line itself is wrong: unknown command or option, bad value, missing argument */
  usage: 2,
  /** the node could not be reached (worth retrying later) */
  unreachable: 3,
} as const;

/** A wrong command line: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError' as const;
  constructor(
    readonly id: MessageId,
    readonly params: Params = {},
  ) {
    super(id);
  }
}

/** A file that cannot be read, parsed or written: names the file, never its content. */
export class FileError extends Error {
  override name = 'FileError' as const;
  constructor(
    readonly id: 'file.notFound' | 'file.notJson' | 'file.unreadable' | 'file.cannotWrite' | 'config.tokenMissing' | 'config.tokenUnreadable',
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(id, options);
  }
}

/**
 * Why the local node's answer could not be used: it did not answer, too late, or with something
 * that is not its API. Carried as the `cause` of the client's `ProtocolError`.
 */
export class LocalNodeError extends Error {
  override name = 'LocalNodeError' as const;
  constructor(
    readonly kind: 'unreachable' | 'timeout' | 'badAnswer',
    readonly url: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(`${kind} (${url}${options?.status ? `, HTTP ${options.status}` : ''})`, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}
