import { directoryApi } from '../api/directory.js';
import { EXIT } from '../errors.js';
import type { ActionContext } from './context.js';

/**
 * `corridor directory collect`, on the stewards' node: gather the entries partner nodes submitted,
 * for `corridor directory publish`. Peers that did not answer are named (on stderr): their
 * entries wait there for the next run. Partial answers are normal, so that is still success.
 */
export async function directoryCollect({ client, out, t }: ActionContext): Promise<number> {
  const answer = await directoryApi.collect(client);
  if (out.json) {
    out.data(answer);
    return EXIT.ok;
  }
  out.line(out.style(answer.collected > 0 ? 'ok' : 'dim', t('collect.done', { count: answer.collected })));
  if (answer.unreachable.length > 0) out.problem(out.style('warn', t('collect.unreachable', { list: answer.unreachable.join(', ') })));
  if (answer.collected > 0) out.line(t('collect.next'));
  return EXIT.ok;
}
