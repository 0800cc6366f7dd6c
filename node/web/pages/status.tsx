import type { Context, Hono } from 'hono';
import { formatTime } from '../format.js';
import { type Lang, fill } from '../i18n/languages.js';
import { status as words } from '../i18n/status.js';
import { Csrf } from '../layout.js';
import { render } from '../render.js';
import type { WebEnv } from '../session.js';
import { term } from '../terms.js';

/**
 * The node status for operators and coordinators (a case worker gets "Not allowed": the local
 * API refuses them): messages out and in by state, what is undelivered, deletion receipts still
 * missing, the keys and until when they are valid, partner nodes, alerts, the directory held and
 * its last refresh. Two checks that take a while, each with a progress line (`data-long`): the
 * audit log recomputed, and the directory refreshed from the partners. Their result is shown on
 * the page the form returns (with the confirmation), straight from the local API's answer, so a
 * result on screen always comes from a check that ran.
 */

interface NodeStatus {
  node: string;
  outbox: Record<string, number>;
  undelivered: number;
  inbox: Record<string, number>;
  alerts: { seq: number; at: number; kind: string; peer: string | null; code: string | null }[];
  peers: { node: string; org: string; lastSeenAt: number | null }[];
  missingReceipts: number;
  escalated: number;
  keys: { node: { kid: string; notAfter: number }; prekey: { kid: string; notAfter: number } };
}
interface DirectoryStatus {
  version: number;
  fresh: boolean;
  staleSince: number | null;
  organisations: number;
  services: number;
  lastSync: { at: number; peer: string | null; outcome: string; version: number; bytes: number } | null;
}
interface AuditReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  verifiedUpTo: number;
  problem: { at: 'entry' | 'checkpoint' | 'frontier'; seq?: number; size?: number; reason: string } | null;
}
interface SyncResult {
  outcome: string;
  version: number;
  bytes: number;
  from: string | null;
  code?: string;
}

type Outcome = { audit: AuditReport } | { sync: SyncResult } | null;

function Counts(props: { lang: Lang; counts: Record<string, number> }) {
  const m = words[props.lang];
  const entries = Object.entries(props.counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return <>{m.nothing}</>;
  return <>{entries.map(([state, n], i) => `${i > 0 ? ', ' : ''}${term(props.lang, 'messageState', state)}: ${n}`).join('')}</>;
}

async function statusPage(c: Context<WebEnv>, outcome: Outcome) {
  const lang = c.get('lang');
  const m = words[lang];
  const api = c.get('api');
  const [s, d] = await Promise.all([api.get<NodeStatus>('/api/v1/status'), api.get<DirectoryStatus>('/api/v1/directory')]);
  const when = (seconds: number) => formatTime(lang, seconds * 1000);
  return render(
    c,
    { title: m.title, section: 'status' },
    <>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {outcome && 'audit' in outcome ? <AuditResult lang={lang} report={outcome.audit} /> : null}
      {outcome && 'sync' in outcome ? <SyncResultView lang={lang} result={outcome.sync} /> : null}
      <section aria-labelledby="checks">
        <h2 id="checks">{m.actions}</h2>
        <div class="columns">
          <form method="post" action="/status/audit-check" class="stack" data-long>
            <Csrf value={c.get('csrf')} />
            <p class="hint" id="audit-hint">
              {m.auditHint}
            </p>
            <div>
              <button type="submit" aria-describedby="audit-hint">
                {m.auditCheck}
              </button>
            </div>
          </form>
          <form method="post" action="/status/directory-sync" class="stack" data-long>
            <Csrf value={c.get('csrf')} />
            <p class="hint" id="sync-hint">
              {m.syncHint}
            </p>
            <div>
              <button type="submit" aria-describedby="sync-hint">
                {m.syncNow}
              </button>
            </div>
          </form>
        </div>
      </section>
      <section aria-labelledby="messages">
        <h2 id="messages">{m.messages}</h2>
        <dl class="facts">
          <dt>{m.node}</dt>
          <dd>{s.node}</dd>
          <dt>{m.outgoing}</dt>
          <dd>
            <Counts lang={lang} counts={s.outbox} />
          </dd>
          <dt>{m.undelivered}</dt>
          <dd>{s.undelivered > 0 ? <span class="badge bad">{s.undelivered}</span> : <span class="badge ok">{s.undelivered}</span>}</dd>
          <dt>{m.incoming}</dt>
          <dd>
            <Counts lang={lang} counts={s.inbox} />
          </dd>
        </dl>
      </section>
      <section aria-labelledby="receipts">
        <h2 id="receipts">{m.receipts}</h2>
        <dl class="facts">
          <dt>{m.missingReceipts}</dt>
          <dd>{s.missingReceipts}</dd>
          <dt>{m.escalated}</dt>
          <dd>{s.escalated > 0 ? <span class="badge bad">{s.escalated}</span> : s.escalated}</dd>
        </dl>
      </section>
      <section aria-labelledby="keys">
        <h2 id="keys">{m.keys}</h2>
        <ul>
          <li>
            {fill(m.nodeKey, { kid: s.keys.node.kid })}: {fill(m.validUntil, { date: when(s.keys.node.notAfter) })}
          </li>
          <li>
            {fill(m.prekey, { kid: s.keys.prekey.kid })}: {fill(m.validUntil, { date: when(s.keys.prekey.notAfter) })}
          </li>
        </ul>
      </section>
      <section aria-labelledby="directory">
        <h2 id="directory">{m.directory}</h2>
        {d.version === 0 ? (
          <p>{m.noDirectory}</p>
        ) : (
          <dl class="facts">
            <dt>{m.version}</dt>
            <dd>
              {d.version} {d.fresh ? <span class="badge ok">{m.fresh}</span> : <span class="badge bad">{fill(m.staleSince, { date: formatTime(lang, d.staleSince ?? 0) })}</span>}
            </dd>
            <dt>{m.organisations}</dt>
            <dd>{d.organisations}</dd>
            <dt>{m.services}</dt>
            <dd>{d.services}</dd>
            <dt>{m.lastSync}</dt>
            <dd>{d.lastSync ? fill(m.lastSyncLine, { date: formatTime(lang, d.lastSync.at), peer: d.lastSync.peer ?? '-', outcome: term(lang, 'syncOutcome', d.lastSync.outcome) }) : m.never}</dd>
          </dl>
        )}
      </section>
      <section aria-labelledby="peers">
        <h2 id="peers">{m.peers}</h2>
        {s.peers.length === 0 ? (
          <p>{m.noPeers}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{m.node}</th>
                  <th scope="col">{m.organisation}</th>
                  <th scope="col">{m.lastSeen}</th>
                </tr>
              </thead>
              <tbody>
                {s.peers.map((p) => (
                  <tr>
                    <td>{p.node}</td>
                    <td>{p.org}</td>
                    <td>{p.lastSeenAt === null ? m.never : formatTime(lang, p.lastSeenAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="alerts">
        <h2 id="alerts">{m.alerts}</h2>
        {s.alerts.length === 0 ? (
          <p>{m.noAlerts}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{m.when}</th>
                  <th scope="col">{m.what}</th>
                  <th scope="col">{m.node}</th>
                  <th scope="col">{m.code}</th>
                </tr>
              </thead>
              <tbody>
                {s.alerts.map((a) => (
                  <tr>
                    <td>{formatTime(lang, a.at)}</td>
                    <td>{term(lang, 'alertKind', a.kind)}</td>
                    <td>{a.peer ?? ''}</td>
                    <td>{a.code ? term(lang, 'code', a.code) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>,
  );
}

function AuditResult(props: { lang: Lang; report: AuditReport }) {
  const m = words[props.lang];
  const r = props.report;
  const p = r.problem;
  const where = p === null ? '' : p.at === 'entry' ? fill(m.problemEntry, { n: p.seq ?? 0 }) : fill(p.at === 'checkpoint' ? m.problemCheckpoint : m.problemFrontier, { n: p.size ?? 0 });
  return (
    <section aria-labelledby="audit-result" class={r.ok ? 'card' : 'card problems'}>
      <h2 id="audit-result">{m.auditResult}</h2>
      <p>
        {fill(r.ok ? m.auditOk : m.auditBad, { entries: r.entries, checkpoints: r.checkpoints, upTo: r.verifiedUpTo })}
      </p>
      {p ? (
        <p>
          {m.firstProblem}: {where}, {term(props.lang, 'auditProblem', p.reason)}
        </p>
      ) : null}
    </section>
  );
}

function SyncResultView(props: { lang: Lang; result: SyncResult }) {
  const m = words[props.lang];
  const r = props.result;
  return (
    <section aria-labelledby="sync-result" class="card">
      <h2 id="sync-result">{m.syncResult}</h2>
      <p>{fill(m.syncLine, { outcome: term(props.lang, 'syncOutcome', r.outcome), version: r.version, bytes: r.bytes })}</p>
      {r.from ? <p>{fill(m.syncFrom, { peer: r.from })}</p> : null}
      {r.code ? (
        <p>
          {m.syncCode}: {term(props.lang, 'code', r.code)}
        </p>
      ) : null}
    </section>
  );
}

export function mountStatus(app: Hono<WebEnv>): void {
  app.get('/status', (c) => statusPage(c, null));

  app.post('/status/audit-check', async (c) => {
    const audit = await c.get('api').post<AuditReport>('/api/v1/audit/verify', {});
    c.set('flash', audit.ok ? 'auditVerified' : 'auditFailed');
    return statusPage(c, { audit });
  });

  app.post('/status/directory-sync', async (c) => {
    const sync = await c.get('api').post<SyncResult>('/api/v1/directory/sync', {});
    c.set('flash', sync.outcome === 'updated' || sync.outcome === 'current' ? 'directorySynced' : 'directorySyncFailed');
    return statusPage(c, { sync });
  });
}
