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
    log.error('internal error', { path: c.req.path, error: error.name, message: error.message });
    return c.json(body('Internal'), 500);
  };
}

export function body(code: keyof typeof ERROR_CODES, message?: string): ErrorBody {
  return { error: { code, message: message ?? ERROR_CODES[code].text } };
}

export function notFound(c: Context) {
  return c.json(body('NotFound'), 404);
}
