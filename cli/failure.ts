import { ERROR_CODES, type ErrorBody, type ErrorCode, ProtocolError } from '../protocol/index.js';
import { EXIT, FileError, LocalNodeError, UsageError } from './errors.js';
import type { Translate } from './i18n/index.js';

/**
 * Any failure → one clear localised line, an exit code, and the wire error body that `--json`
 * prints. Field paths are named, values never (they may be a person's data).
 */

export interface Failure {
  line: string;
  exit: number;
  body: ErrorBody;
}

const MAX_FIELDS = 5;

export function describeFailure(error: unknown, t: Translate): Failure {
  if (error instanceof UsageError) {
    const line = t(error.id, error.params);
    return { line, exit: EXIT.usage, body: wire('InvalidRequest', line) };
  }
  if (error instanceof FileError) {
    const line = t(error.id, { file: error.file });
    return { line, exit: EXIT.failed, body: wire('InvalidRequest', line) };
  }
  if (error instanceof ProtocolError) {
    const local = error.cause instanceof LocalNodeError ? error.cause : null;
    if (local) {
      const id = local.kind === 'timeout' ? 'error.nodeTimeout' : local.kind === 'unreachable' ? 'error.nodeUnreachable' : 'error.badResponse';
      return { line: t(id, { url: local.url }), exit: local.kind === 'badAnswer' ? EXIT.failed : EXIT.unreachable, body: error.toBody() };
    }
    const message = t(`code.${error.code}`);
    const fields = [...new Set((error.issues ?? []).map((i) => i.path || '(root)'))];
    const shown = fields.length > MAX_FIELDS ? [...fields.slice(0, MAX_FIELDS), '…'] : fields;
    const line = fields.length > 0 ? t('error.withFields', { message, fields: shown.join(', ') }) : message;
    return { line, exit: EXIT.failed, body: error.toBody() };
  }
  return { line: t('error.unexpected'), exit: EXIT.failed, body: wire('Internal', ERROR_CODES.Internal.text) };
}

function wire(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The stack and causes, for `--debug` only. */
export function debugDetails(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\ncaused by: ');
}
