import type { LocalClient } from '../client.js';
import type { Translate } from '../i18n/index.js';
import type { Output } from '../output.js';

/** What an action needs: the node's local API, somewhere to write, and the language. */
export interface ActionContext {
  client: LocalClient;
  out: Output;
  t: Translate;
}
