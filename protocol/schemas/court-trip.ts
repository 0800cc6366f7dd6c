import { z } from 'zod';
import { OrgId, Ulid } from '../ids.js';
import { UnixTime } from '../time.js';
import { ConsentRef, CountryCode, IsoDate } from './common.js';
import { defineFamily } from './family.js';

/**
 * Family `court-trip`: the return trip to a hearing that two organisations plan together on one
 * case (e.g. LEFÖ-IBF in Vienna and ASTRA in Belgrade). Each task has an owner organisation;
 * `revision` and `updatedAt` let both nodes converge when they edit at the same time.
 */

export const TaskKind = z.enum([
  'tickets',
  'medical-certificate',
  'court-information',
  'lawyer-meeting',
  'airport-pickup',
  'accommodation',
  'interpreter',
  'per-diem',
  'return-travel',
  'video-link-setup',
  'other',
]);
export type TaskKind = z.infer<typeof TaskKind>;

export const TaskStatus = z.enum(['open', 'in-progress', 'done', 'cancelled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** Local time of day at the court, `HH:MM` (24 h). */
export const TimeOfDay = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'time');
export type TimeOfDay = z.infer<typeof TimeOfDay>;

const Revision = z.number().int().min(0).max(2_147_483_647);

export const Hearing = z.object({
  court: z.string().min(1).max(200),
  city: z.string().min(1).max(100),
  country: CountryCode,
  date: IsoDate,
  time: TimeOfDay.optional(),
  /** the court's case number */
  reference: z.string().max(100).optional(),
});
export type Hearing = z.infer<typeof Hearing>;

export const CourtTripTask = z.object({
  taskId: Ulid,
  kind: TaskKind,
  owner: OrgId,
  due: IsoDate,
  status: TaskStatus,
  note: z.string().max(1000).optional(),
  updatedAt: UnixTime,
});
export type CourtTripTask = z.infer<typeof CourtTripTask>;

export const CourtTripPlan = z
  .object({
    tripId: Ulid,
    referralId: Ulid,
    consent: ConsentRef,
    hearing: Hearing,
    mode: z.enum(['in-person', 'video-link']),
    tasks: z.array(CourtTripTask).max(50),
    revision: Revision,
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.tasks.forEach((task, i) => {
      if (seen.has(task.taskId)) {
        ctx.addIssue({ code: 'custom', path: ['tasks', i, 'taskId'], message: 'duplicate task id' });
      }
      seen.add(task.taskId);
    });
  });
export type CourtTripPlan = z.infer<typeof CourtTripPlan>;

/** One task changed; fields left out stay as they were. */
export const CourtTripTaskUpdate = z.object({
  tripId: Ulid,
  taskId: Ulid,
  status: TaskStatus,
  note: z.string().max(1000).optional(),
  due: IsoDate.optional(),
  owner: OrgId.optional(),
  updatedAt: UnixTime,
  revision: Revision,
});
export type CourtTripTaskUpdate = z.infer<typeof CourtTripTaskUpdate>;

export const courtTripFamily = defineFamily({
  family: 'court-trip',
  major: 1,
  minor: 0,
  bodies: {
    plan: CourtTripPlan,
    'task-update': CourtTripTaskUpdate,
  },
  personalData: {
    plan: true,
    'task-update': false,
  },
});
