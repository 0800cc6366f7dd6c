import type { Hono } from 'hono';
import { z } from 'zod';
import { ProtocolError, VOCABULARY_LANGUAGES } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { readJson } from '../../http/input.js';
import { principalOf } from '../../http/roles.js';

export const LanguageRequest = z.strictObject({ language: z.enum(VOCABULARY_LANGUAGES) });

/**
 * `PUT /api/v1/session/language {language}`: the signed-in person's own choice of language for
 * the web interface, kept with their account so it follows them to any browser (issue 8:
 * "switchable per user"). A preference, not case data; the machine credential has none.
 */
export function mountSessionLanguagePut(app: Hono, ctx: NodeContext): void {
  app.put('/api/v1/session/language', async (c) => {
    const who = principalOf(c);
    const { language } = await readJson(c, LanguageRequest);
    if (who.kind !== 'account') throw new ProtocolError('InvalidRequest', 'the machine credential has no language of its own', { issues: [{ path: 'language', problem: 'not_a_person' }] });
    ctx.access.accounts.setLanguage(who.id, language);
    return c.json({ language });
  });
}
