import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { CountryCode, ProtocolError, ServedGroup, ServiceType, parseWith } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { body } from '../../http/errors.js';
import { importHsds } from '../../directory/hsds/import.js';

export const ImportRequest = z.strictObject({
  document: z.unknown(),
  defaults: z
    .strictObject({
      country: CountryCode.optional(),
      types: z.array(ServiceType).min(1).optional(),
      served: z.array(ServedGroup).optional(),
    })
    .optional(),
  /** the HSDS id of this node's own organisation in the document, when it is there */
  own: z.string().min(1).max(200).optional(),
});

/**
 * `POST /api/v1/directory/hsds`: import HSDS 3.0 JSON (an organisation, a service, a list page)
 * after checking it against the official schemas and the Corridor profile. Our organisation
 * becomes our own entry; the others become listings we keep. Each is signed with our org key and
 * waits for the stewards. A refusal lists every problem by JSON path and stores nothing.
 */
export function mountDirectoryHsdsPost(app: Hono, ctx: NodeContext): void {
  app.post('/api/v1/directory/hsds', bodyLimit({ maxSize: 64 * 1024 * 1024, onError: (c) => c.json(body('TooLarge'), 413) }), async (c) => {
    const input = parseWith(ImportRequest, await c.req.json().catch(() => undefined));
    if (!input.ok) throw new ProtocolError('InvalidRequest', undefined, { issues: input.issues ?? [] });
    const { document, defaults, own } = input.value;
    const imported = importHsds(document, defaults ? { defaults } : {});
    if (!imported.ok) throw new ProtocolError('SchemaViolation', 'the HSDS document does not validate', { issues: (imported.issues ?? []).map((i) => ({ ...i, path: `document.${i.path}` })) });
    const { profiles } = imported.value;
    if (profiles.length === 0) throw new ProtocolError('InvalidRequest', 'the document holds no organisation', { issues: [{ path: 'document', problem: 'no_organization' }] });
    const submitted = ctx.directory.own.submit(profiles, { own, nowMs: ctx.clock.now() });
    return c.json({
      organisations: profiles.length,
      services: profiles.reduce((n, p) => n + p.services.length, 0),
      submitted,
      published: null,
    });
  });
}
