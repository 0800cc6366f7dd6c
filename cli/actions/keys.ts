import { operatorApi } from '../api/operator.js';
import { EXIT } from '../errors.js';
import type { ActionContext } from './context.js';

/**
 * `corridor keys rotate`: a new prekey now, published at once in the node's descriptor; old
 * prekeys keep opening what was sealed to them until they run out. The node key itself is not
 * rotated yet (a new key certified by the org key, in the next directory entry: issue 7), and
 * the output says so.
 */
export async function keysRotate({ client, out, t }: ActionContext): Promise<number> {
  const answer = await operatorApi.rotate(client);
  if (out.json) {
    out.data({ ...answer, nodeKeyRotation: 'issue-7' });
    return answer.created === null ? EXIT.failed : EXIT.ok;
  }
  if (answer.created === null) out.problem(t('keys.notCreated', { date: out.date(answer.nodeKey.notAfter) }));
  else out.line(out.style('ok', t('keys.created', { kid: answer.created, date: out.date(answer.prekey.notAfter) })));
  if (answer.destroyed.length > 0) out.line(t('keys.destroyed', { count: answer.destroyed.length }));
  out.line(t('keys.nodeKey', { kid: answer.nodeKey.kid, date: out.date(answer.nodeKey.notAfter) }));
  return answer.created === null ? EXIT.failed : EXIT.ok;
}
