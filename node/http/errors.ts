import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ERROR_CODES, type ErrorBody, ProtocolError } from '../../protocol/index.js';
import type { Logger } from '../logger.js';

/**
 * The only place that builds error responses: a ProtocolError becomes its status and
 * `{error: {code, message, issues?}}`; anything else is a bare `Internal` (details go to the log).
 */
export function errorHandler(log: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof ProtocolError) return c.json(error.toBody(), error.status as 400);
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 413 ? 'TooLarge' : error.status === 404 ? 'NotFound' : 'InvalidRequest';
      return c.json(body(code), error.status);
    }
    if (clientWentAway(error)) {
      log.debug('client went away', { path: c.req.path });
      return c.json(body('InvalidRequest'), 400);
    }
    log.error('internal error', { path: c.req.path, error: error.name, message: error.message });
    return c.json(body('Internal'), 500);
  };
}

/** A request body that broke off (the client stopped part-way): not an internal error. */
function clientWentAway(error: Error): boolean {
  const code = (error as Error & { code?: unknown }).code;
  return error.message === 'aborted' || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

export function body(code: keyof typeof ERROR_CODES, message?: string): ErrorBody {
  return { error: { code, message: message ?? ERROR_CODES[code].text } };
}

export function notFound(c: Context) {
  return c.json(body('NotFound'), 404);
}
