import { directoryApi } from '../api/directory.js';
import { EXIT } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import type { ActionContext } from './context.js';

/**
 * `corridor directory export-hsds [--out file]`: the directory as HSDS 3.0 JSON, on stdout or
 * into a file that is either written whole or left as it was.
 */
export async function directoryExportHsds({ client, out, t }: ActionContext, args: { out?: string | undefined }): Promise<number> {
  const document = await directoryApi.exportHsds(client);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (args.out === undefined) {
    out.data(document);
    return EXIT.ok;
  }
  await writeFileAtomic(args.out, text);
  const bytes = Buffer.byteLength(text);
  if (out.json) out.data({ file: args.out, bytes });
  else out.line(t('export.done', { size: out.bytes(bytes), file: args.out }));
  return EXIT.ok;
}
