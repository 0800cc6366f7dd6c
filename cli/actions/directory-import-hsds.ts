import { ProtocolError } from '../../protocol/index.js';
import { type ImportDefaults, directoryApi } from '../api/directory.js';
import { EXIT } from '../errors.js';
import { parseJsonText, readText } from '../files.js';
import type { ActionContext } from './context.js';
import { entries } from './words.js';

export interface ImportHsdsArgs {
  file: string;
  defaults?: ImportDefaults | undefined;
  /** the HSDS id of this node's own organisation, when the file lists others too */
  own?: string | undefined;
}

/**
 * `corridor directory import-hsds <file>`: reads and parses the file first (a missing or broken
 * file sends nothing), then lets the node check it against HSDS 3.0. A refusal lists every
 * problem by its path in the document, never a value.
 */
export async function directoryImportHsds({ client, out, t }: ActionContext, args: ImportHsdsArgs): Promise<number> {
  out.progress(t('import.reading', { file: args.file }));
  const text = await readText(args.file);
  out.progress(t('import.checking', { size: out.bytes(Buffer.byteLength(text)) }));
  const document = parseJsonText(text, args.file);
  out.progress(t('import.sending'));

  try {
    const answer = await directoryApi.importHsds(client, document, { defaults: args.defaults, own: args.own });
    out.progressDone();
    if (out.json) {
      out.data(answer);
      return EXIT.ok;
    }
    out.line(out.style('ok', t('import.done', { organisations: answer.organisations, services: answer.services })));
    if (answer.submitted.length > 0) out.line(t('import.submitted', { list: entries(t, answer.submitted) }));
    out.line(answer.published ? t('import.published', { version: String(answer.published.version) }) : t('import.notPublished'));
    return EXIT.ok;
  } catch (error) {
    out.progressDone();
    if (!(error instanceof ProtocolError) || !error.issues?.length || !['SchemaViolation', 'InvalidRequest'].includes(error.code)) throw error;
    if (out.json) out.data(error.toBody());
    else for (const issue of error.issues) out.line(t('import.issue', { path: issue.path || '/', problem: issue.problem }));
    out.problem(t('import.invalid', { file: args.file, count: error.issues.length }));
    return EXIT.failed;
  }
}
