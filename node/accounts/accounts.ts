import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { Password, ProtocolError, hashPassword, newId } from '../../protocol/index.js';
import type { AccessEvents } from './access-events.js';

/**
 * Accounts of the people who use this node (ADR 0018): one per person, a role, a team, a
 * password hash. Who may change what is decided here, next to the change: coordinators manage
 * case workers and coordinators; only an operator creates, changes or grants the operator role.
 */

export const ROLES = ['case-worker', 'coordinator', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export const LoginName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'login_name');
const DisplayName = z.string().trim().min(1).max(120);
export const Team = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u, 'team');

export const NewAccount = z.strictObject({
  name: LoginName,
  displayName: DisplayName,
  role: z.enum(ROLES),
  team: Team.nullable().optional(),
  password: Password,
});
export type NewAccount = z.infer<typeof NewAccount>;

export const AccountPatch = z
  .strictObject({
    displayName: DisplayName.optional(),
    role: z.enum(ROLES).optional(),
    team: Team.nullable().optional(),
    disabled: z.boolean().optional(),
    password: Password.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'empty', path: ['(body)'] });
export type AccountPatch = z.infer<typeof AccountPatch>;

/** An account as the API shows it: never the password hash. */
export interface AccountView {
  id: string;
  name: string;
  displayName: string;
  role: Role;
  team: string | null;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface AccountRow extends AccountView {
  password: string;
}

/** Who is asking: a person's account, or the node's own machine credential (operator, no person). */
export type Principal = { kind: 'account'; id: string; role: Role; team: string | null } | { kind: 'machine'; id: null; role: 'operator'; team: null };

interface Raw {
  id: string;
  loginName: string;
  displayName: string;
  role: Role;
  team: string | null;
  disabled: number;
  password: string;
  createdAt: number;
  updatedAt: number;
}

const view = (r: Raw): AccountRow => ({ id: r.id, name: r.loginName, displayName: r.displayName, role: r.role, team: r.team, disabled: r.disabled === 1, createdAt: r.createdAt, updatedAt: r.updatedAt, password: r.password });
export const publicView = ({ password: _p, ...rest }: AccountRow): AccountView => rest;

export interface Accounts {
  count(): number;
  get(id: string): AccountRow | null;
  byName(name: string): AccountRow | null;
  list(): AccountView[];
  /** checked against who asks; the password is hashed before anything is written */
  create(by: Principal, input: NewAccount, nowMs: number): Promise<AccountView>;
  /** a change (disabling or a new password also ends the account's sessions) */
  update(by: Principal, id: string, patch: AccountPatch, nowMs: number): Promise<AccountView>;
  /** the language a person chose for the web interface (null: none chosen) */
  languageOf(id: string): string | null;
  setLanguage(id: string, language: string): void;
  /** the first operator, written by the node from `corridor init`'s file (already hashed) */
  insertHashed(input: { name: string; displayName: string; role: Role; team: string | null; password: string }, nowMs: number): string;
}

export function createAccounts(sqlite: Database.Database, events: AccessEvents, endSessions: (accountId: string, nowMs: number) => void): Accounts {
  const q = {
    count: sqlite.prepare('SELECT count(*) AS n FROM account'),
    get: sqlite.prepare('SELECT * FROM account WHERE id = ?'),
    byName: sqlite.prepare('SELECT * FROM account WHERE loginName = ?'),
    list: sqlite.prepare('SELECT * FROM account ORDER BY loginName'),
    insert: sqlite.prepare('INSERT INTO account (id, loginName, displayName, role, team, disabled, password, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)'),
    update: sqlite.prepare('UPDATE account SET displayName = ?, role = ?, team = ?, disabled = ?, password = ?, updatedAt = ? WHERE id = ?'),
    languageOf: sqlite.prepare('SELECT language FROM account WHERE id = ?'),
    setLanguage: sqlite.prepare('UPDATE account SET language = ? WHERE id = ?'),
    operators: sqlite.prepare(`SELECT count(*) AS n FROM account WHERE role = 'operator' AND disabled = 0 AND id != ?`),
  };
  const get = (id: string) => {
    const r = q.get.get(id) as Raw | undefined;
    return r ? view(r) : null;
  };
  const insert = (input: { name: string; displayName: string; role: Role; team: string | null; password: string }, nowMs: number): string => {
    const id = newId(nowMs);
    q.insert.run(id, input.name, input.displayName, input.role, input.team, input.password, nowMs, nowMs);
    return id;
  };
  /** coordinators manage case workers and coordinators; operator accounts only an operator */
  const mayManage = (by: Principal, role: Role) => by.role === 'operator' || (by.role === 'coordinator' && role !== 'operator');

  return {
    count: () => (q.count.get() as { n: number }).n,
    get,
    byName: (name) => {
      const parsed = LoginName.safeParse(name);
      if (!parsed.success) return null;
      const r = q.byName.get(parsed.data) as Raw | undefined;
      return r ? view(r) : null;
    },
    list: () => (q.list.all() as Raw[]).map((r) => publicView(view(r))),
    languageOf: (id) => (q.languageOf.get(id) as { language: string | null } | undefined)?.language ?? null,
    setLanguage: (id, language) => {
      q.setLanguage.run(language, id);
    },
    async create(by, input, nowMs) {
      if (!mayManage(by, input.role)) throw new ProtocolError('Forbidden', 'only an operator creates an operator account');
      if (q.byName.get(input.name)) throw new ProtocolError('InvalidRequest', 'this account name is taken', { issues: [{ path: 'name', problem: 'taken' }] });
      const password = await hashPassword(input.password);
      if (q.byName.get(input.name)) throw new ProtocolError('InvalidRequest', 'this account name is taken', { issues: [{ path: 'name', problem: 'taken' }] });
      const id = insert({ name: input.name, displayName: input.displayName, role: input.role, team: input.team ?? null, password }, nowMs);
      events.accountChanged(by.id, id, 'created');
      return publicView(get(id)!);
    },
    async update(by, id, patch, nowMs) {
      const before = get(id);
      if (!before) throw new ProtocolError('NotFound', 'no such account');
      if (!mayManage(by, before.role) || (patch.role !== undefined && !mayManage(by, patch.role))) throw new ProtocolError('Forbidden', 'only an operator changes an operator account or grants the role');
      const losesOperator = before.role === 'operator' && !before.disabled && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'operator'));
      if (losesOperator && (q.operators.get(id) as { n: number }).n === 0) {
        throw new ProtocolError('InvalidRequest', 'the last operator account stays', { issues: [{ path: patch.disabled === true ? 'disabled' : 'role', problem: 'last_operator' }] });
      }
      const password = patch.password === undefined ? before.password : await hashPassword(patch.password);
      const after = get(id);
      if (!after || after.updatedAt !== before.updatedAt) throw new ProtocolError('IdConflict', 'the account changed meanwhile; try again');
      const next = {
        displayName: patch.displayName ?? before.displayName,
        role: patch.role ?? before.role,
        team: patch.team === undefined ? before.team : patch.team,
        disabled: patch.disabled ?? before.disabled,
      };
      sqlite.transaction(() => {
        q.update.run(next.displayName, next.role, next.team, next.disabled ? 1 : 0, password, Math.max(nowMs, before.updatedAt + 1), id);
        if (next.disabled || patch.password !== undefined || next.role !== before.role) endSessions(id, nowMs);
      })();
      if (next.displayName !== before.displayName) events.accountChanged(by.id, id, 'display-name');
      if (next.role !== before.role) events.accountChanged(by.id, id, 'role');
      if (next.team !== before.team) events.accountChanged(by.id, id, 'team');
      if (next.disabled !== before.disabled) events.accountChanged(by.id, id, next.disabled ? 'disabled' : 'enabled');
      if (patch.password !== undefined) events.accountChanged(by.id, id, 'password');
      return publicView(get(id)!);
    },
    insertHashed: insert,
  };
}
