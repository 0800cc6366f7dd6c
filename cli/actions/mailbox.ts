import { caseworkApi } from '../api/casework.js';
import { EXIT } from '../errors.js';
import type { ActionContext } from './context.js';
import { word, words } from './casework-words.js';

/**
 * `corridor inbox`: the referral offers waiting for an answer, and how many messages arrived.
 * `corridor outbox`: what this node has not delivered yet; a message waiting over 24 hours (or
 * failed, or expired) is highlighted: nothing may be lost silently.
 */

const OPEN = new Set(['queued', 'sending', 'failed', 'expired']);

export async function inbox({ client, out, t }: ActionContext): Promise<number> {
  const [{ referrals }, status] = await Promise.all([caseworkApi.referrals(client), caseworkApi.status(client)]);
  const waiting = referrals.filter((r) => r.direction === 'incoming' && r.state === 'offered').sort((a, b) => a.createdAt - b.createdAt);
  const received = Object.values(status.inbox).reduce((a, b) => a + b, 0);
  const unprocessed = status.inbox.stored ?? 0;
  if (out.json) {
    out.data({ offers: waiting, messages: { received, unprocessed } });
    return EXIT.ok;
  }
  if (waiting.length === 0) out.line(t('inbox.none'));
  else {
    out.line(out.style('strong', t('inbox.heading', { count: waiting.length })));
    out.table(
      [t('referral.col.id'), t('inbox.col.from'), t('inbox.col.urgency'), t('inbox.col.needs'), t('inbox.col.received')],
      waiting.map((r) => {
        const urgency = word(t, 'urgency', String(r.offer.urgency ?? ''));
        return [r.id, r.peerOrg, r.offer.urgency === 'routine' ? urgency : out.style('warn', urgency), words(t, 'need', Array.isArray(r.offer.needs) ? r.offer.needs.map(String) : []), out.dateMs(r.createdAt)];
      }),
    );
    out.line(t('inbox.next'));
  }
  out.line(t('inbox.messages', { count: received, waiting: unprocessed }));
  return EXIT.ok;
}

export async function outbox({ client, out, t }: ActionContext): Promise<number> {
  // the node decides what is overdue, by its own clock
  const [answer, late] = await Promise.all([caseworkApi.outbox(client), caseworkApi.overdue(client)]);
  const overdueIds = new Set(late.items.map((i) => i.id));
  const open = [...answer.items.filter((i) => OPEN.has(i.state) && !overdueIds.has(i.id)), ...late.items].sort((a, b) => a.createdAt - b.createdAt);
  const isOverdue = (i: (typeof open)[number]) => overdueIds.has(i.id);
  const overdue = open.filter(isOverdue).length;
  if (out.json) {
    out.data({ counts: answer.counts, undelivered: open.map((i) => ({ ...i, overdue: isOverdue(i) })), overdue });
    return EXIT.ok;
  }
  const c = answer.counts;
  out.line(t('outbox.counts', { waiting: (c.queued ?? 0) + (c.sending ?? 0), delivered: (c.delivered ?? 0) + (c.acknowledged ?? 0), failed: (c.failed ?? 0) + (c.expired ?? 0) }));
  if (open.length === 0) {
    out.line(out.style('ok', t('outbox.none')));
    return EXIT.ok;
  }
  out.table(
    [t('outbox.col.message'), t('outbox.col.to'), t('outbox.col.kind'), t('outbox.col.state'), t('outbox.col.since'), t('outbox.col.attempts')],
    open.map((i) => {
      const row = [i.id, i.to, i.typ.replace(/^corridor\/([a-z-]+)\/[0-9.]+\/([a-z-]+)$/, '$1/$2'), word(t, 'outboxState', i.state), out.dateMs(i.createdAt), String(i.attempts)];
      return isOverdue(i) ? row.map((cell) => out.style('bad', cell)) : row;
    }),
  );
  if (overdue > 0) out.line(out.style('bad', t('outbox.overdue', { count: overdue })));
  return EXIT.ok;
}
