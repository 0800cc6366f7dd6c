import { isErrorCode } from '../../protocol/index.js';
import { directoryApi } from '../api/directory.js';
import { EXIT } from '../errors.js';
import type { ActionContext } from './context.js';

/**
 * `corridor directory sync [--peer node:x]`: refresh now. Updated or already current is success;
 * no partner reachable, or a directory refused, is a failure with one line saying which.
 */
export async function directorySync({ client, out, t }: ActionContext, args: { peer?: string | undefined }): Promise<number> {
  const answer = await directoryApi.sync(client, args.peer);
  const failed = answer.outcome === 'unreachable' || answer.outcome === 'refused';
  if (out.json) {
    out.data(answer);
    return failed ? EXIT.failed : EXIT.ok;
  }
  const version = String(answer.version);
  switch (answer.outcome) {
    case 'updated':
      out.line(out.style('ok', t('sync.updated', { version, from: answer.from ?? t('none'), size: out.bytes(answer.bytes) })));
      return EXIT.ok;
    case 'current':
      out.line(t('sync.current', { version }));
      return EXIT.ok;
    case 'unreachable':
      out.problem(t('sync.unreachable', { version }));
      return EXIT.failed;
    case 'refused': {
      const reason = answer.code !== undefined && isErrorCode(answer.code) ? t(`code.${answer.code}`) : (answer.code ?? t('none'));
      out.problem(t('sync.refused', { reason, version }));
      return EXIT.failed;
    }
  }
}
