import { type Alert, operatorApi } from '../api/operator.js';
import { caseworkApi } from '../api/casework.js';
import { directoryApi } from '../api/directory.js';
import { EXIT } from '../errors.js';
import type { MessageId } from '../i18n/index.js';
import type { ActionContext } from './context.js';

/**
 * `corridor status`: the operator's one screen, from the local API: is the directory fresh, is
 * anything stuck in the outbox (undelivered after 24 h, failed, expired), are deletion receipts
 * missing, which alerts were raised, and how long the keys last. Ends with what needs attention.
 */

const DAY = 86_400;
const ALERT_KINDS: Record<string, MessageId> = {
  'directory-split-view': 'opstatus.alert.splitView',
  'deletion-receipt-missing': 'opstatus.alert.receiptMissing',
  'envelope-rejected': 'opstatus.alert.rejected',
  'id-conflict': 'opstatus.alert.idConflict',
  'audit-fork': 'opstatus.alert.auditFork',
};

export async function operatorStatus({ client, out, t }: ActionContext): Promise<number> {
  const [status, dir, late] = await Promise.all([operatorApi.status(client), directoryApi.status(client), caseworkApi.overdue(client)]);
  const nowSeconds = Math.floor(Date.now() / 1000);
  const c = status.outbox;
  const waiting = (c.queued ?? 0) + (c.sending ?? 0);
  const failed = (c.failed ?? 0) + (c.expired ?? 0);
  const alerts = groupAlerts(status.alerts);
  const attention: MessageId[] = [];
  if (dir.version === 0) attention.push('opstatus.todo.anchor');
  else if (!dir.fresh) attention.push('opstatus.todo.stale');
  if (dir.splitView || alerts.some((a) => a.kind === 'directory-split-view')) attention.push('opstatus.todo.splitView');
  if (late.items.length > 0) attention.push('opstatus.todo.outbox');
  if (status.escalated > 0) attention.push('opstatus.todo.receipts');
  if (status.keys.node.notAfter - nowSeconds < 14 * DAY) attention.push('opstatus.todo.nodeKey');

  if (out.json) {
    out.data({
      node: status.node,
      directory: { network: dir.network, version: dir.version, fresh: dir.fresh, expires: dir.expires, staleSince: dir.staleSince, splitView: dir.splitView },
      outbox: { waiting, failed, undelivered: late.items.length, counts: c },
      receipts: { missing: status.missingReceipts, escalated: status.escalated },
      alerts,
      keys: status.keys,
      attention: attention.map((id) => id.replace('opstatus.todo.', '')),
    });
    return EXIT.ok;
  }

  out.line(out.style('strong', t('opstatus.heading', { node: status.node, url: client.baseUrl })));
  // the directory
  if (dir.version === 0) out.line(out.style('warn', t('opstatus.dir.none')));
  else if (dir.fresh && dir.expires !== null) out.line(out.style('ok', t('opstatus.dir.fresh', { version: dir.version, date: out.date(dir.expires) })));
  else out.line(out.style('bad', t('opstatus.dir.stale', { version: dir.version, date: dir.staleSince === null ? '?' : out.date(dir.staleSince) })));
  // the outbox
  const outboxLine = t('opstatus.outbox', { waiting, failed });
  out.line(waiting + failed > 0 ? out.style('warn', outboxLine) : outboxLine);
  if (late.items.length > 0) out.line(out.style('bad', t('opstatus.undelivered', { count: late.items.length })));
  // deletion receipts
  if (status.missingReceipts === 0) out.line(t('opstatus.receipts.none'));
  else {
    const line = t('opstatus.receipts', { count: status.missingReceipts, escalated: status.escalated });
    out.line(status.escalated > 0 ? out.style('bad', line) : out.style('warn', line));
  }
  // alerts
  if (alerts.length === 0) out.line(t('opstatus.alerts.none'));
  else {
    out.line(t('opstatus.alerts.heading'));
    for (const a of alerts) {
      const id = ALERT_KINDS[a.kind];
      const what = id === undefined ? a.kind : t(id);
      out.line(`  ${out.style(a.kind === 'directory-split-view' || a.kind === 'audit-fork' ? 'bad' : 'warn', t('opstatus.alert', { what, count: a.count, date: out.dateMs(a.last) }))}`);
    }
  }
  // keys
  out.line(t('opstatus.keys', { nodeDate: out.date(status.keys.node.notAfter), prekeyDate: out.date(status.keys.prekey.notAfter) }));
  out.line();
  if (attention.length === 0) out.line(out.style('ok', t('opstatus.allWell')));
  else {
    out.line(out.style('strong', t('opstatus.attention', { count: attention.length })));
    for (const id of attention) out.line(`  - ${t(id)}`);
  }
  return EXIT.ok;
}

/** The latest alerts, one line per kind: how many and when the last one came. */
function groupAlerts(alerts: Alert[]): { kind: string; count: number; last: number; peers: string[] }[] {
  const by = new Map<string, { kind: string; count: number; last: number; peers: string[] }>();
  for (const a of alerts) {
    const g = by.get(a.kind) ?? { kind: a.kind, count: 0, last: 0, peers: [] };
    g.count++;
    g.last = Math.max(g.last, a.at);
    if (a.peer && !g.peers.includes(a.peer)) g.peers.push(a.peer);
    by.set(a.kind, g);
  }
  return [...by.values()].sort((a, b) => b.last - a.last);
}
