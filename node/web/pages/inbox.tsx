import type { Hono } from 'hono';
import { formatDate, formatTime, shortId } from '../format.js';
import { inbox } from '../i18n/inbox.js';
import { fill } from '../i18n/languages.js';
import { render } from '../render.js';
import { term } from '../terms.js';
import type { WebEnv } from '../session.js';

/**
 * The inbox, the first screen after sign-in: referrals waiting for an answer, what changed
 * lately, court trip tasks overdue and those due in the next 7 days, and (for coordinators and operators) messages not delivered
 * and deletion receipts still missing. Each line links to where it is dealt with.
 */

interface Referral {
  id: string;
  direction: 'outgoing' | 'incoming';
  caseId: string | null;
  peerOrg: string;
  state: string;
  purpose: string;
  updatedAt: number;
  createdAt: number;
}
interface OverdueTask {
  tripId: string;
  referralId: string;
  taskId: string;
  kind: string;
  owner: string;
  due: string;
  mine: boolean;
}
interface Status {
  undelivered: number;
  missingReceipts: number;
  escalated: number;
  alerts: { seq: number; at: number; kind: string; peer: string | null; code: string | null }[];
}

export function mountInbox(app: Hono<WebEnv>): void {
  app.get('/', async (c) => {
    const m = inbox[c.get('lang')];
    const lang = c.get('lang');
    const api = c.get('api');
    const me = c.get('me');
    const [{ referrals }, { overdue, dueSoon }] = await Promise.all([
      api.get<{ referrals: Referral[] }>('/api/v1/referrals', { limit: 200 }),
      api.get<{ overdue: OverdueTask[]; dueSoon: OverdueTask[] }>('/api/v1/court-trips', { overdue: 1, days: 7 }),
    ]);
    const status = me.role === 'case-worker' ? null : await api.get<Status>('/api/v1/status');
    const waiting = referrals.filter((r) => r.direction === 'incoming' && r.state === 'offered');
    const updates = referrals.filter((r) => !waiting.includes(r)).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 10);
    return render(
      c,
      { title: m.title, section: 'inbox' },
      <>
        <h1>{m.title}</h1>
        <section aria-labelledby="new-referrals">
          <h2 id="new-referrals">{m.newReferrals}</h2>
          {waiting.length === 0 ? (
            <p>{m.noNewReferrals}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{m.referral}</th>
                    <th scope="col">{m.from}</th>
                    <th scope="col">{m.purpose}</th>
                    <th scope="col">{m.received}</th>
                  </tr>
                </thead>
                <tbody>
                  {waiting.map((r) => (
                    <tr>
                      <td>
                        <a href={`/referrals/${r.id}`}>
                          {m.open} {shortId(r.id)}
                        </a>
                      </td>
                      <td>{r.peerOrg}</td>
                      <td>{r.purpose}</td>
                      <td>{formatTime(lang, r.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section aria-labelledby="updates">
          <h2 id="updates">{m.updates}</h2>
          {updates.length === 0 ? (
            <p>{m.noUpdates}</p>
          ) : (
            <ul>
              {updates.map((r) => (
                <li>
                  <a href={`/referrals/${r.id}`}>
                    {m.referral} {shortId(r.id)}
                  </a>{' '}
                  {r.direction === 'outgoing' ? m.to : m.from} {r.peerOrg}: <span class="badge">{r.state}</span> ({formatTime(lang, r.updatedAt)})
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="tasks-due">
          <h2 id="tasks-due">{m.tasksDue}</h2>
          {overdue.length === 0 ? (
            <p>{m.noTasksDue}</p>
          ) : (
            <ul>
              {overdue.map((t) => (
                <li>
                  <a href={`/court-trips/${t.tripId}`}>{term(lang, 'taskKind', t.kind)}</a> · {m.owner}: {t.owner} · {m.due}: {formatDate(lang, t.due)} <span class="badge overdue">{m.overdue}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="tasks-soon">
          <h2 id="tasks-soon">{m.tasksSoon}</h2>
          {dueSoon.length === 0 ? (
            <p>{m.noTasksSoon}</p>
          ) : (
            <ul>
              {dueSoon.map((t) => (
                <li>
                  <a href={`/court-trips/${t.tripId}`}>{term(lang, 'taskKind', t.kind)}</a> · {m.owner}: {t.owner} · {m.due}: {formatDate(lang, t.due)} <span class="badge warn">{m.dueSoon}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {status ? (
          <>
            <section aria-labelledby="undelivered">
              <h2 id="undelivered">{m.undelivered}</h2>
              <p>{status.undelivered > 0 ? <a href="/status">{fill(m.undeliveredCount, { count: status.undelivered })}</a> : m.allDelivered}</p>
            </section>
            <section aria-labelledby="receipts">
              <h2 id="receipts">{m.missingReceipts}</h2>
              <p>{status.missingReceipts > 0 ? fill(m.missingReceiptsCount, { count: status.missingReceipts, escalated: status.escalated }) : m.noMissingReceipts}</p>
            </section>
          </>
        ) : null}
      </>,
    );
  });
}
