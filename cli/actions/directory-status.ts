import { directoryApi } from '../api/directory.js';
import { EXIT } from '../errors.js';
import type { ActionContext } from './context.js';
import { entries } from './words.js';

/** `corridor directory status`: is the directory fresh enough to refer, and when was it refreshed. */
export async function directoryStatus({ client, out, t }: ActionContext): Promise<number> {
  const s = await directoryApi.status(client);
  if (out.json) {
    out.data(s);
    return EXIT.ok;
  }
  if (s.version === 0 || s.hash === null) {
    out.line(out.style('warn', t('status.none')));
  } else {
    out.line(out.style('strong', t('status.heading', { network: s.network ?? t('none'), version: String(s.version) })));
    if (s.fresh && s.expires !== null) out.line(out.style('ok', t('status.fresh', { date: out.date(s.expires) })));
    else if (!s.fresh) out.line(out.style('bad', s.staleSince === null ? t('status.staleUndated') : t('status.stale', { date: out.date(s.staleSince) })));
    if (s.issued !== null) out.line(t('status.issued', { date: out.date(s.issued) }));
    out.line(t('status.hash', { hash: s.hash }));
  }
  if (s.splitView) out.line(out.style('bad', t('status.splitView')));
  out.line(t('status.organisations', { count: s.organisations, withNode: s.withNode }));
  out.line(t('status.services', { count: s.services }));
  const sync = s.lastSync;
  if (sync === null) out.line(t('status.lastSyncNever'));
  else {
    const outcome = outcomeWord(t, sync.outcome);
    const date = out.dateMs(sync.at);
    out.line(sync.peer === null ? t('status.lastSyncLocal', { date, outcome }) : t('status.lastSync', { date, peer: sync.peer, outcome }));
  }
  if (s.submissions.length > 0) out.line(t('status.submissions', { list: entries(t, s.submissions) }));
  return EXIT.ok;
}

function outcomeWord(t: ActionContext['t'], outcome: string): string {
  switch (outcome) {
    case 'updated':
    case 'current':
    case 'unreachable':
    case 'refused':
      return t(`outcome.${outcome}`);
    default:
      return outcome;
  }
}
