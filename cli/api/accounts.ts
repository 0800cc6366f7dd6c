import { z } from 'zod';
import type { LocalClient } from '../client.js';

/** The session and account routes of the local API as the CLI reads them (ADR 0018). */

export const ROLES = ['case-worker', 'coordinator', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export const Account = z.looseObject({
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  team: z.string().nullable(),
  disabled: z.boolean(),
});
export type Account = z.infer<typeof Account>;

const SignedIn = z.looseObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/), expiresAt: z.number(), account: Account });
const WhoAmI = z.union([
  z.looseObject({ machine: z.literal(true), role: z.literal('operator') }),
  z.looseObject({ machine: z.literal(false), role: z.enum(ROLES), account: Account, expiresAt: z.number(), idleExpiresAt: z.number() }),
]);
export type WhoAmI = z.infer<typeof WhoAmI>;

export const accountsApi = {
  login: (client: LocalClient, name: string, password: string) => client.post('/api/v1/session', { name, password }, SignedIn),
  logout: (client: LocalClient) => client.request('DELETE', '/api/v1/session', z.looseObject({})),
  whoami: (client: LocalClient) => client.get('/api/v1/session', WhoAmI),
  list: async (client: LocalClient) => (await client.get('/api/v1/accounts', z.looseObject({ accounts: z.array(Account) }))).accounts,
  add: (client: LocalClient, body: { name: string; displayName: string; role: Role; team: string | null; password: string }) => client.post('/api/v1/accounts', body, Account),
  assign: (client: LocalClient, caseId: string, body: { accountId?: string | null; team?: string | null }) =>
    client.request('PUT', `/api/v1/cases/${encodeURIComponent(caseId)}/assignment`, z.looseObject({ caseId: z.string(), accountId: z.string().nullable(), team: z.string().nullable() }), { body }),
  change: (client: LocalClient, id: string, body: Record<string, unknown>) => client.request('PATCH', `/api/v1/accounts/${encodeURIComponent(id)}`, Account, { body }),
};
