import type { Context, MiddlewareHandler } from 'hono';
import { ProtocolError } from '../../protocol/index.js';
import type { Principal, Role } from '../accounts/accounts.js';
import type { CaseScope } from '../accounts/assignments.js';
import type { NodeContext } from '../context.js';

/**
 * Who may call which local route: the one role matrix (ADR 0018), keyed like the OpenAPI
 * operations (test/node/accounts-routes.test.ts proves it names exactly the mounted routes).
 * `case` says which path parameter leads to a case; a case worker then passes only for a case
 * assigned to them or their team. Operators run the node and never read case data; coordinators
 * see every case of the organisation; case workers their own. A route missing here is refused
 * (fail closed).
 */

const ALL: readonly Role[] = ['case-worker', 'coordinator', 'operator'];
const CASEWORK: readonly Role[] = ['case-worker', 'coordinator'];
const COORDINATOR: readonly Role[] = ['coordinator'];
const ORGANISATION: readonly Role[] = ['coordinator', 'operator'];
const OPERATOR: readonly Role[] = ['operator'];

export interface AccessRule {
  roles: readonly Role[];
  /** the path parameter `id` names a thing of this kind; its case decides for a case worker */
  case?: CaseScope;
}

export const ACCESS_RULES: Record<string, AccessRule> = {
  'POST /api/v1/session': { roles: ALL }, // unauthenticated: the login itself
  'GET /api/v1/session': { roles: ALL },
  'DELETE /api/v1/session': { roles: ALL },
  'PUT /api/v1/session/language': { roles: ALL },
  'GET /api/v1/openapi.json': { roles: ALL },
  'POST /api/v1/accounts': { roles: ORGANISATION },
  'GET /api/v1/accounts': { roles: ORGANISATION },
  'PATCH /api/v1/accounts/{id}': { roles: ORGANISATION },
  'GET /api/v1/status': { roles: ORGANISATION },
  'GET /api/v1/messages': { roles: ORGANISATION },
  'POST /api/v1/messages': { roles: ORGANISATION },
  'GET /api/v1/outbox': { roles: ORGANISATION },
  'PUT /api/v1/peers': { roles: OPERATOR },
  'GET /api/v1/directory': { roles: ALL },
  'GET /api/v1/directory/search': { roles: ALL },
  'GET /api/v1/directory/orgs/{org}': { roles: ALL },
  'GET /api/v1/directory/hsds': { roles: ALL },
  'POST /api/v1/directory/hsds': { roles: ORGANISATION },
  'POST /api/v1/directory/sync': { roles: ORGANISATION },
  'GET /api/v1/directory/bundle': { roles: OPERATOR },
  'POST /api/v1/directory/bundle': { roles: OPERATOR },
  'POST /api/v1/directory/collect': { roles: OPERATOR },
  'POST /api/v1/cases': { roles: CASEWORK },
  'GET /api/v1/cases': { roles: CASEWORK },
  'GET /api/v1/cases/{id}': { roles: CASEWORK, case: 'case' },
  'PATCH /api/v1/cases/{id}': { roles: CASEWORK, case: 'case' },
  'GET /api/v1/cases/{id}/access': { roles: CASEWORK, case: 'case' },
  'PUT /api/v1/cases/{id}/assignment': { roles: COORDINATOR, case: 'case' },
  'POST /api/v1/cases/{id}/consents': { roles: CASEWORK, case: 'case' },
  'POST /api/v1/cases/{id}/close': { roles: CASEWORK, case: 'case' },
  'PUT /api/v1/cases/{id}/legal-hold': { roles: COORDINATOR, case: 'case' },
  'POST /api/v1/cases/{id}/attachments': { roles: CASEWORK, case: 'case' },
  'GET /api/v1/cases/{id}/attachments': { roles: CASEWORK, case: 'case' },
  'GET /api/v1/attachments/{id}': { roles: CASEWORK, case: 'attachment' },
  'GET /api/v1/consents/{id}': { roles: CASEWORK, case: 'consent' },
  'POST /api/v1/consents/{id}/withdraw': { roles: CASEWORK, case: 'consent' },
  'POST /api/v1/referrals': { roles: CASEWORK }, // the case is in the body: the route asks mayWorkOn
  'POST /api/v1/referrals/preview': { roles: CASEWORK }, // the case is in the body: the route asks mayWorkOn
  'GET /api/v1/referrals': { roles: CASEWORK },
  'GET /api/v1/referrals/{id}': { roles: CASEWORK, case: 'referral' },
  'POST /api/v1/referrals/{id}/accept': { roles: CASEWORK, case: 'referral' },
  'POST /api/v1/referrals/{id}/decline': { roles: CASEWORK, case: 'referral' },
  'POST /api/v1/referrals/{id}/handover': { roles: CASEWORK, case: 'referral' },
  'POST /api/v1/referrals/{id}/handover/preview': { roles: CASEWORK, case: 'referral' },
  'POST /api/v1/referrals/{id}/update': { roles: CASEWORK, case: 'referral' },
  'POST /api/v1/referrals/{id}/onward': { roles: CASEWORK, case: 'referral' },
  'POST /api/v1/referrals/{id}/revoke': { roles: CASEWORK, case: 'referral' },
  'POST /api/v1/referrals/{id}/close': { roles: CASEWORK, case: 'referral' },
  'POST /api/v1/referrals/{id}/court-trip': { roles: CASEWORK, case: 'referral' },
  'GET /api/v1/court-trips': { roles: CASEWORK },
  'GET /api/v1/court-trips/{id}': { roles: CASEWORK, case: 'court-trip' },
  'PATCH /api/v1/court-trips/{id}': { roles: CASEWORK, case: 'court-trip' },
  'PUT /api/v1/court-trips/{id}/tasks/{taskId}': { roles: CASEWORK, case: 'court-trip' },
  'GET /api/v1/stats': { roles: ORGANISATION },
  'POST /api/v1/admin/keys/rotate': { roles: OPERATOR },
  'POST /api/v1/admin/backup': { roles: OPERATOR },
  'POST /api/v1/admin/keys/revoke': { roles: OPERATOR },
  'POST /api/v1/audit/verify': { roles: ORGANISATION },
  // the evidence bundle holds the signed messages, case data among them: coordinators only
  'GET /api/v1/cases/{id}/evidence': { roles: COORDINATOR, case: 'case' },
};

/**
 * The rule's key and the path parameters of the route the router chose, e.g.
 * `POST /api/v1/referrals/:id/:action` → `POST /api/v1/referrals/{id}/accept`. (Inside a
 * middleware Hono gives the middleware's own parameters, so they are read from the path here.)
 */
const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

function matched(c: Context): { key: string; params: Record<string, string> } | null {
  const route = c.req.matchedRoutes.find((r) => r.method !== 'ALL');
  if (!route) return null;
  const actual = c.req.path.split('/');
  const params: Record<string, string> = {};
  const path = route.path
    .split('/')
    .map((seg, i) => {
      if (!seg.startsWith(':')) return seg;
      const name = seg.slice(1);
      params[name] = safeDecode(actual[i] ?? '');
      return name === 'action' ? (actual[i] ?? '') : `{${name}}`;
    })
    .join('/');
  return { key: `${c.req.method} ${path}`, params };
}

/** The request's principal (set by localAuth). */
export function principalOf(c: Context): Principal {
  const who = c.get('principal');
  if (!who) throw new ProtocolError('Unauthenticated', 'sign in first');
  return who;
}

/** For a case named in a body: refuses (and reports) a case this principal may not work on. */
export function requireCase(c: Context, ctx: NodeContext, caseId: string | null): void {
  const who = principalOf(c);
  if (ctx.access.assignments.mayWorkOn(who, caseId)) return;
  ctx.access.events.accessDenied(who.id, caseId, 'Forbidden');
  throw new ProtocolError('Forbidden');
}

/** After localAuth: the role matrix, then the case a case worker asks for. */
export function authorize(ctx: NodeContext): MiddlewareHandler {
  return async (c, next) => {
    const route = matched(c);
    if (route === null) return next(); // no such route: 404 from the router
    const { key, params } = route;
    if (key === 'POST /api/v1/session') return next(); // the login: nobody yet
    const who = principalOf(c);
    const rule = ACCESS_RULES[key];
    if (!rule || !rule.roles.includes(who.role)) {
      ctx.access.events.accessDenied(who.id, null, 'Forbidden');
      throw new ProtocolError('Forbidden');
    }
    if (rule.case && who.role !== 'coordinator') {
      const id = params.id ?? '';
      const caseId = ctx.access.assignments.caseOf(rule.case, id);
      if (caseId === undefined) return next(); // no such thing: the route answers 404
      requireCase(c, ctx, caseId);
    }
    return next();
  };
}
