import { operatorApi } from '../api/operator.js';
import { EXIT } from '../errors.js';
import type { ActionContext } from './context.js';

/**
 * `corridor keys rotate`: a new prekey now, published at once in the node's descriptor; old
 * prekeys keep opening what was sealed to them until they run out. `--node-key`: a new node key
 * certified by the org key and put in our directory entry; the node switches to it when the
 * directory version it holds carries it (ADR 0017).
 */
export async function keysRotate({ client, out, t }: ActionContext, options: { nodeKey?: boolean } = {}): Promise<number> {
  const answer = await operatorApi.rotate(client, options.nodeKey === true ? 'node' : 'prekey');
  if (out.json) {
    out.data(answer);
    return answer.created === null ? EXIT.failed : EXIT.ok;
  }
  if (options.nodeKey === true) {
    const pending = answer.nodeKey.pending;
    if (pending) out.line(out.style('ok', t('keys.nodeKeyPending', { kid: pending.kid, seq: pending.submitted })));
    return pending ? EXIT.ok : EXIT.failed;
  }
  if (answer.created === null) out.problem(t('keys.notCreated', { date: out.date(answer.nodeKey.notAfter) }));
  else out.line(out.style('ok', t('keys.created', { kid: answer.created, date: out.date(answer.prekey.notAfter) })));
  if (answer.destroyed.length > 0) out.line(t('keys.destroyed', { count: answer.destroyed.length }));
  out.line(t('keys.nodeKey', { kid: answer.nodeKey.kid, date: out.date(answer.nodeKey.notAfter) }));
  return answer.created === null ? EXIT.failed : EXIT.ok;
}

/** `corridor keys revoke KID --compromised-since TIME`: the revocation waits in our entry for the stewards. */
export async function keysRevoke({ client, out, t }: ActionContext, input: { kid: string; compromisedSince: number; reason?: string | undefined }): Promise<number> {
  const answer = await operatorApi.revoke(client, input);
  if (out.json) {
    out.data(answer);
    return EXIT.ok;
  }
  out.line(out.style('ok', t('keys.revoked', { kid: answer.revoked, date: out.date(answer.compromisedSince), seq: answer.submitted })));
  if (answer.pending) out.line(t('keys.revokedNewKey', { kid: answer.pending }));
  return EXIT.ok;
}
