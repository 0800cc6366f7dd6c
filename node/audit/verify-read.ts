import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * How `audit verify` reads the log: a chunk of entries (a range of seq) as one row of aggregates,
 * the entries' bytes and leaf hashes each concatenated into one blob with their seqs and lengths
 * beside them, instead of a JavaScript row and two Buffers per entry (which cost more than
 * hashing them; ADR 0016). Every entry still goes through the caller's `step` one by one, in seq
 * order, so what is reported does not depend on how it was read.
 *
 * SQLite visits a range of the primary key in order, so the aggregates list the rows in seq order;
 * the reader does not rely on it: seqs not strictly rising, a leaf hash that is not 32 bytes, or
 * lengths that do not add up send the chunk through the plain path (a row per entry, `ORDER BY
 * seq`), as does anything else unusual about it.
 */


export interface ChunkReader {
  /** the lowest seq stored (0 if none) */
  firstSeq(): number;
  /** steps through the rows with `from <= seq < to` in seq order until `step` returns something; returns that, or null */
  chunk<P>(from: number, to: number, step: (seq: number, bytes: Buffer, storedLeaf: string) => P | null): P | null;
  /** is there any row with seq >= from? */
  anyFrom(from: number): boolean;
}

const HASH_BYTES = 32;

export function chunkReader(sqlite: Database.Database): ChunkReader {
  const first = sqlite.prepare<[], number | null>('SELECT min(seq) FROM audit_entry').pluck();
  const after = sqlite.prepare<[number], number>('SELECT 1 FROM audit_entry WHERE seq >= ? LIMIT 1').pluck();
  // bytes and leaf hashes as blobs whatever their stored type; lengths in bytes
  const aggregates = sqlite
    .prepare<[number, number], [number, number | null, number | null, string | null, string | null, Buffer | null, Buffer | null]>(
      `SELECT count(*), min(length(CAST(leafHash AS BLOB))), max(length(CAST(leafHash AS BLOB))),
        group_concat(seq, ','), group_concat(length(CAST(bytes AS BLOB)), ','),
        CAST(group_concat(CAST(bytes AS BLOB), '') AS BLOB), CAST(group_concat(CAST(leafHash AS BLOB), '') AS BLOB)
      FROM audit_entry WHERE seq >= ? AND seq < ?`,
    )
    .raw();
  const rows = sqlite.prepare<[number, number], [number, Buffer, Buffer]>('SELECT seq, CAST(bytes AS BLOB), CAST(leafHash AS BLOB) FROM audit_entry WHERE seq >= ? AND seq < ? ORDER BY seq').raw();

  const plain = <P>(from: number, to: number, step: (seq: number, bytes: Buffer, storedLeaf: string) => P | null): P | null => {
    for (const [seq, bytes, leaf] of rows.iterate(from, to)) {
      const found = step(seq, bytes, leaf.toString('latin1'));
      if (found !== null) return found;
    }
    return null;
  };

  return {
    firstSeq: () => first.get() ?? 0,
    anyFrom: (from) => after.get(from) !== undefined,
    chunk(from, to, step) {
      const [count, minLeaf, maxLeaf, seqText, lengthText, bytes, leaves] = aggregates.get(from, to)!;
      if (count === 0) return null;
      if (minLeaf !== HASH_BYTES || maxLeaf !== HASH_BYTES || seqText === null || lengthText === null || bytes === null || leaves === null) return plain(from, to, step);
      const seqs = seqText.split(',');
      const lengths = lengthText.split(',');
      if (seqs.length !== count || lengths.length !== count || leaves.length !== count * HASH_BYTES) return plain(from, to, step);
      const seqAt = new Float64Array(count);
      const endAt = new Float64Array(count);
      let end = 0;
      for (let i = 0; i < count; i++) {
        seqAt[i] = Number(seqs[i]);
        end += Number(lengths[i]);
        endAt[i] = end;
        if (i > 0 && !(seqAt[i]! > seqAt[i - 1]!)) return plain(from, to, step);
      }
      if (end !== bytes.length) return plain(from, to, step);
      let start = 0;
      for (let i = 0; i < count; i++) {
        const found = step(seqAt[i]!, bytes.subarray(start, endAt[i]!), leaves.toString('latin1', i * HASH_BYTES, (i + 1) * HASH_BYTES));
        if (found !== null) return found;
        start = endAt[i]!;
      }
      return null;
    },
  };
}
