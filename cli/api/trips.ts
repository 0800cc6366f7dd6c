import { z } from 'zod';
import { CountryCode, IsoDate, OrgId, TaskKind, TaskStatus, TimeOfDay } from '../../protocol/index.js';
import type { LocalClient } from '../client.js';

/**
 * The court-trip and statistics routes of the local API as the CLI speaks them (issue 6): plan a
 * court return trip on a handed-over referral, show it, change its hearing or a task, the overdue
 * list; and the anonymous statistics (docs/statistics.md). Inputs are strict like the node's
 * (node/case/court-trips.ts, node/case/stats.ts); answers are loose.
 */

const Ms = z.number().nonnegative();
const Mode = z.enum(['in-person', 'video-link']);
export const TRIP_MODES = Mode.options;

// ---- inputs ----

export const HearingInput = z.strictObject({
  court: z.string().min(1).max(200),
  city: z.string().min(1).max(100),
  country: CountryCode,
  date: IsoDate,
  time: TimeOfDay.optional(),
  reference: z.string().max(100).optional(),
});
export type HearingInput = z.infer<typeof HearingInput>;

const NewTask = z.strictObject({ kind: TaskKind, owner: OrgId, due: IsoDate, status: TaskStatus.optional(), note: z.string().max(1000).optional() });
export type NewTask = z.infer<typeof NewTask>;
export const TripInput = z.strictObject({ hearing: HearingInput, mode: Mode, tasks: z.array(NewTask).max(50).optional() });
export type TripInput = z.infer<typeof TripInput>;
export const TripChange = z.strictObject({ hearing: HearingInput.partial().optional(), mode: Mode.optional() });
export type TripChange = z.infer<typeof TripChange>;
/** add a task (kind, owner and due then required) or change one */
export const TaskChange = NewTask.partial();
export type TaskChange = z.infer<typeof TaskChange>;

// ---- answers ----

export const TripTask = z.looseObject({
  taskId: z.string(),
  kind: z.string(),
  owner: z.string(),
  due: z.string(),
  status: z.string(),
  note: z.string().optional(),
  updatedAt: z.number().optional(),
});
export type TripTask = z.infer<typeof TripTask>;

export const Hearing = z.looseObject({ court: z.string(), city: z.string(), country: z.string(), date: z.string(), time: z.string().optional(), reference: z.string().optional() });
export type Hearing = z.infer<typeof Hearing>;

/** GET /api/v1/court-trips/{id}: the plan, reminders (due within `days`) and overdue tasks, by the node's clock */
export const TripView = z.looseObject({
  plan: z.looseObject({
    tripId: z.string(),
    referralId: z.string(),
    hearing: Hearing,
    mode: z.string(),
    tasks: z.array(TripTask),
    revision: z.number().int(),
    consent: z.looseObject({ id: z.string(), hash: z.string().nullable() }).optional(),
  }),
  days: z.number().int(),
  today: z.string(),
  reminders: z.array(TripTask),
  overdue: z.array(TripTask),
});
export type TripView = z.infer<typeof TripView>;

export const TripRow = z.looseObject({ tripId: z.string(), referralId: z.string(), hearingDate: z.string(), mode: z.string(), revision: z.number().int() });
export type TripRow = z.infer<typeof TripRow>;
export const TripList = z.looseObject({ trips: z.array(TripRow) });

export const OverdueTask = TripTask.extend({ tripId: z.string(), referralId: z.string(), mine: z.boolean() });
export type OverdueTask = z.infer<typeof OverdueTask>;
export const OverdueList = z.looseObject({ today: z.string(), overdue: z.array(OverdueTask) });
export type OverdueList = z.infer<typeof OverdueList>;

const Count = z.union([z.number(), z.string()]);
export const StatsReport = z.looseObject({
  from: z.string(),
  to: z.string(),
  org: z.string(),
  total: Count,
  rule: z.string().optional(),
  dimensions: z.array(z.looseObject({ name: z.string(), withheld: z.boolean(), cells: z.array(z.looseObject({ value: z.string(), count: Count })) })),
});
export type StatsReport = z.infer<typeof StatsReport>;
export interface StatsQuery {
  from?: string | undefined;
  to?: string | undefined;
}

/** the CSV as the node gives it, carried as JSON by `textAnswers` */
const TextAnswer = z.strictObject({ text: z.string() });

/**
 * A fetch for a client that reads a text answer (CSV) as `{"text": …}`, so the one client keeps
 * its errors, timeouts and token handling. A failure (any non-2xx) passes unchanged.
 * @TODO a `text` request in cli/client.ts would make this unnecessary.
 */
export function textAnswers(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.startsWith('text/')) return response;
    return new Response(JSON.stringify({ text: await response.text() }), { status: response.status, headers: { 'content-type': 'application/json' } });
  };
}

const id = (value: string) => encodeURIComponent(value);

export const tripsApi = {
  plan: (client: LocalClient, referralId: string, input: TripInput) => client.post(`/api/v1/referrals/${id(referralId)}/court-trip`, input, TripView),
  trip: (client: LocalClient, tripId: string, days?: number) => client.get(`/api/v1/court-trips/${id(tripId)}`, TripView, { query: { days } }),
  list: (client: LocalClient, limit = 500) => client.get('/api/v1/court-trips', TripList, { query: { limit } }),
  overdue: (client: LocalClient) => client.get('/api/v1/court-trips', OverdueList, { query: { overdue: 1 } }),
  putTask: (client: LocalClient, tripId: string, taskId: string, input: TaskChange) => client.request('PUT', `/api/v1/court-trips/${id(tripId)}/tasks/${id(taskId)}`, TripView, { body: input }),
  change: (client: LocalClient, tripId: string, input: TripChange) => client.request('PATCH', `/api/v1/court-trips/${id(tripId)}`, TripView, { body: input }),
  stats: (client: LocalClient, query: StatsQuery) => client.get('/api/v1/stats', StatsReport, { query: { ...query, format: 'json' } }),
  /** needs a client made with `textAnswers` */
  statsCsv: async (client: LocalClient, query: StatsQuery) => (await client.get('/api/v1/stats', TextAnswer, { query: { ...query, format: 'csv' } })).text,
};
