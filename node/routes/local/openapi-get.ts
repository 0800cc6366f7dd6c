import type { Hono } from 'hono';
import { z } from 'zod';
import { ERROR_CODES } from '../../../protocol/index.js';
import type { NodeContext } from '../../context.js';
import { CaseData } from '../../case/cases.js';
import { CourtTripInput, CourtTripPatch, TaskPut } from '../../case/court-trips.js';
import { LegalHoldInput } from '../../case/retention.js';
import { StatsQuery } from '../../case/stats.js';
import { WithdrawInput } from '../../case/withdrawal.js';
import { BackupRequest } from './admin-backup-post.js';
import { RotateRequest } from './admin-keys-rotate-post.js';
import { RevokeRequest } from './admin-keys-revoke-post.js';
import { AttachmentUploadQuery } from './case-attachments-post.js';
import { CloseCaseInput } from './case-close-post.js';
import { ConsentInput } from '../../case/consents.js';
import { AcceptInput, CloseInput, DeclineInput, HandoverInput, OfferInput, OnwardInput, RevokeInput, UpdateInput } from '../../case/referrals.js';
import { DirectorySearchQuery } from '../../directory/search.js';
import { Bundle } from './directory-bundle-post.js';
import { ImportRequest } from './directory-hsds-post.js';
import { SyncRequest } from './directory-sync-post.js';
import { SendRequest } from './messages-post.js';
import { AdmitRequest } from './peers-put.js';
import { AuditVerifyRequest } from './audit-verify-post.js';
import { ACCESS_RULES } from '../../http/roles.js';
import { LoginRequest } from './session-post.js';
import { LanguageRequest } from './session-language-put.js';
import { AccountPatch, NewAccount } from '../../accounts/accounts.js';
import { AssignmentInput } from '../../accounts/assignments.js';

/**
 * `GET /api/v1/openapi.json`: the local API as an OpenAPI 3.1 document, generated from the very
 * zod schemas the routes validate with (z.toJSONSchema), so it cannot say something the node
 * does not check. test/node/openapi.test.ts proves every mounted route is in it.
 */

interface Operation {
  summary: string;
  body?: z.ZodType;
  /** a raw body (attachments): its media type */
  raw?: string;
  query?: z.ZodType;
}

const EMPTY = z.strictObject({});
export const OPERATIONS: Record<string, Operation> = {
  'POST /api/v1/session': { summary: 'sign in: a session token (the only route without one)', body: LoginRequest },
  'GET /api/v1/session': { summary: 'who am I, and until when' },
  'DELETE /api/v1/session': { summary: 'sign out' },
  'PUT /api/v1/session/language': { summary: 'the signed-in person\'s language for the web interface, kept with their account', body: LanguageRequest },
  'POST /api/v1/accounts': { summary: 'an account for one person (operators; coordinators: not an operator)', body: NewAccount },
  'GET /api/v1/accounts': { summary: 'the accounts, roles, teams; never a password hash' },
  'PATCH /api/v1/accounts/{id}': { summary: 'display name, role, team, disable, a new password', body: AccountPatch },
  'PUT /api/v1/cases/{id}/assignment': { summary: 'a coordinator assigns the case to a case worker and/or a team', body: AssignmentInput },
  'GET /api/v1/status': { summary: 'counts, undelivered messages, alerts, peers' },
  'GET /api/v1/messages': { summary: 'messages received (ids, no content)' },
  'POST /api/v1/messages': { summary: 'seal and queue a message (low level)', body: SendRequest },
  'GET /api/v1/outbox': { summary: 'where each sent message stands' },
  'PUT /api/v1/peers': { summary: 'admit a partner by descriptor and org key (no directory yet)', body: AdmitRequest },
  'GET /api/v1/directory': { summary: 'the directory held: version, fresh or stale since, counts, last refresh' },
  'GET /api/v1/directory/search': { summary: 'offline search of the directory, ranked, with why', query: DirectorySearchQuery },
  'GET /api/v1/directory/orgs/{org}': { summary: 'one organisation: profile, fingerprint, nodes and keys' },
  'POST /api/v1/directory/hsds': { summary: 'import HSDS 3.0 as our entry and listings', body: ImportRequest },
  'GET /api/v1/directory/hsds': { summary: 'export the directory as HSDS 3.0' },
  'POST /api/v1/directory/sync': { summary: 'refresh the directory now', body: SyncRequest },
  'GET /api/v1/directory/bundle': { summary: 'the version held and submissions (stewards); ?full=1 every entry' },
  'POST /api/v1/directory/bundle': { summary: 'install a version from the stewards or a file', body: Bundle },
  'POST /api/v1/directory/collect': { summary: "the stewards' node gathers submissions", body: EMPTY },
  'POST /api/v1/cases': { summary: 'open a case', body: CaseData },
  'GET /api/v1/cases': { summary: 'cases held, without their data' },
  'GET /api/v1/cases/{id}': { summary: 'a case, its consents, referrals and disclosure ledger' },
  'PATCH /api/v1/cases/{id}': { summary: 'change a case', body: CaseData },
  'GET /api/v1/cases/{id}/access': { summary: 'who saw this case: the audit log\'s case-viewed and case-exported entries, newest first, paged' },
  'POST /api/v1/cases/{id}/consents': { summary: "record the person's consent (signed here)", body: ConsentInput },
  'POST /api/v1/referrals': { summary: 'offer a referral (not identifying)', body: OfferInput },
  'POST /api/v1/referrals/preview': { summary: 'what an offer would send (exact body and fields), sending nothing', body: OfferInput },
  'GET /api/v1/referrals': { summary: 'referrals both ways' },
  'GET /api/v1/referrals/{id}': { summary: 'a referral, its history, the contact at the other side' },
  'POST /api/v1/referrals/{id}/accept': { summary: 'accept an offer, naming our contact', body: AcceptInput },
  'POST /api/v1/referrals/{id}/decline': { summary: 'decline an offer with a reason', body: DeclineInput },
  'POST /api/v1/referrals/{id}/handover': { summary: 'hand the case over, projected through the consent', body: HandoverInput },
  'POST /api/v1/referrals/{id}/handover/preview': { summary: 'what the handover would send (exact body and fields), sending nothing', body: HandoverInput },
  'POST /api/v1/referrals/{id}/update': { summary: 'news on the referral, either way', body: UpdateInput },
  'POST /api/v1/referrals/{id}/onward': { summary: 'refer a received case onward, where the consent allows', body: OnwardInput },
  'POST /api/v1/referrals/{id}/revoke': { summary: 'revoke a referral (referring side)', body: RevokeInput },
  'POST /api/v1/referrals/{id}/close': { summary: 'close a referral', body: CloseInput },
  'POST /api/v1/cases/{id}/close': { summary: 'close a case (retention counts from here)', body: CloseCaseInput },
  'PUT /api/v1/cases/{id}/legal-hold': { summary: 'a court order or legal obligation keeps this case despite a withdrawal', body: LegalHoldInput },
  'POST /api/v1/cases/{id}/attachments': { summary: 'attach a file to a case (raw body, its media type); sealed on the way in', raw: '*/*', query: AttachmentUploadQuery },
  'GET /api/v1/cases/{id}/attachments': { summary: 'the attachments of a case and their state, never a key' },
  'GET /api/v1/attachments/{id}': { summary: 'the decrypted content of a stored attachment' },
  'GET /api/v1/consents/{id}': { summary: 'a consent: versions, recipients, withdrawal notices and receipts' },
  'POST /api/v1/consents/{id}/withdraw': { summary: 'withdraw a consent: every recipient is told and answers with a deletion receipt', body: WithdrawInput },
  'POST /api/v1/referrals/{id}/court-trip': { summary: 'plan a court return trip on a handed-over referral', body: CourtTripInput },
  'GET /api/v1/court-trips': { summary: 'court trips held here, with task counts; ?overdue=1 the overdue tasks and those due within ?days=N' },
  'GET /api/v1/court-trips/{id}': { summary: 'a court trip: plan, reminders, overdue tasks' },
  'PATCH /api/v1/court-trips/{id}': { summary: 'change the hearing or the mode', body: CourtTripPatch },
  'PUT /api/v1/court-trips/{id}/tasks/{taskId}': { summary: 'add or change a task', body: TaskPut },
  'GET /api/v1/stats': { summary: 'anonymous statistics, small counts suppressed (JSON or CSV)', query: StatsQuery },
  'POST /api/v1/admin/keys/rotate': { summary: 'a new prekey now (force, the default) or only if due; `key: "node"`: a new node key certified by the org key, switched to once the directory carries it', body: RotateRequest },
  'POST /api/v1/admin/keys/revoke': { summary: 'revoke one of this node\'s keys from compromisedSince, signed by the org key into our directory entry (a new key if it was the active one)', body: RevokeRequest },
  'POST /api/v1/admin/backup': { summary: 'a consistent copy of the database and data directory into an empty folder, with a manifest (not encrypted yet)', body: BackupRequest },
  'GET /api/v1/openapi.json': { summary: 'this document' },
  'GET /api/v1/cases/{id}/evidence': { summary: 'the evidence bundle of one case, signed, for an offline check (audited as case-exported)' },
  'POST /api/v1/audit/verify': { summary: 'recompute the audit log and name the first entry or checkpoint that does not match', body: AuditVerifyRequest },
};

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CODES) },
        message: { type: 'string' },
        issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, problem: { type: 'string' } } } },
      },
    },
  },
};

const schemaOf = (s: z.ZodType) => {
  const { $schema: _s, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, op] of Object.entries(OPERATIONS)) {
    const [method = 'GET', path = '/'] = key.split(' ');
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = op.query ? Object.entries((schemaOf(op.query).properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({ name, in: 'query', required: false, schema })) : [];
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      summary: op.summary,
      'x-corridor-roles': ACCESS_RULES[key]?.roles ?? [],
      ...(key === 'POST /api/v1/session' ? { security: [] } : {}),
      ...(params.length + query.length > 0 ? { parameters: [...params, ...query] } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } } } : {}),
      ...(op.raw ? { requestBody: { required: true, content: { [op.raw]: { schema: { type: 'string', format: 'binary' } } } } } : {}),
      responses: {
        '200': { description: 'done (201 when something was created)' },
        '4XX': { description: 'a typed error; 400 names each field by path and never echoes a value', content: { 'application/json': { schema: errorBody } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Corridor node: local API', version: '1', description: 'For the CLI and a web interface on the same machine. Bearer session token from POST /api/v1/session (or the machine credential); roles in ADR 0018.' },
    components: { securitySchemes: { session: { type: 'http', scheme: 'bearer' } } },
    security: [{ session: [] }],
    paths,
  };
}

export function mountOpenApiGet(app: Hono, _ctx: NodeContext): void {
  const document = openApiDocument();
  app.get('/api/v1/openapi.json', (c) => c.json(document));
}
