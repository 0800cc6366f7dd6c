import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatKey, newDatabaseKey } from '../../protocol/index.js';
import { changePassphrase, createKeyRing, readKeyFile, unlockDataDir } from '../../node/admin/key-ring.js';

/** node/admin/key-ring.ts on real files: key files refused unless 0600 and outside the data directory; the ring rewritten whole. */

const root = mkdtempSync(join(tmpdir(), 'corridor-key-files-'));
const CHEAP = { logN: 10, r: 8, p: 1 };
afterAll(() => rmSync(root, { recursive: true, force: true }));

const problemOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { issues?: { path: string; problem: string }[] }).issues?.[0];
  }
  return null;
};

describe('key files and the key ring on disk', () => {
  it('a key file unlocks; one readable by others, inside the data directory, relative or malformed is refused by field, never echoed', async () => {
    const dataDir = join(root, 'node');
    const fileKey = newDatabaseKey();
    const { databaseKey } = await createKeyRing(dataDir, { keyFileKey: fileKey, passphrase: 'a long passphrase', kdf: CHEAP });
    expect(readFileSync(join(dataDir, 'db-key.json'), 'utf8')).not.toContain(formatKey(fileKey));
    const keyFile = join(root, 'node.key');
    writeFileSync(keyFile, `${formatKey(fileKey)}\n`, { mode: 0o600 });
    expect(await unlockDataDir(dataDir, { keyFile })).toEqual(databaseKey);

    chmodSync(keyFile, 0o640);
    expect(problemOf(() => readKeyFile(keyFile, dataDir))).toEqual({ path: 'CORRIDOR_KEY_FILE', problem: 'permissions' });
    chmodSync(keyFile, 0o600);
    const inside = join(dataDir, 'node.key');
    writeFileSync(inside, `${formatKey(fileKey)}\n`, { mode: 0o600 });
    expect(problemOf(() => readKeyFile(inside, dataDir))).toEqual({ path: 'CORRIDOR_KEY_FILE', problem: 'inside_data_dir' });
    rmSync(inside);
    expect(problemOf(() => readKeyFile('node.key', dataDir))).toEqual({ path: 'CORRIDOR_KEY_FILE', problem: 'not_absolute' });
    const junk = join(root, 'junk.key');
    writeFileSync(junk, 'Marija Testović +381 64 555 0199\n', { mode: 0o600 });
    const junkError = (() => {
      try {
        readKeyFile(junk, dataDir);
      } catch (error) {
        return error as Error & { issues: unknown };
      }
      return null;
    })();
    expect(junkError?.issues).toEqual([{ path: 'CORRIDOR_KEY_FILE', problem: 'malformed' }]);
    expect(junkError?.message).not.toMatch(/Marija|555/);
    expect(problemOf(() => readKeyFile(join(root, 'missing.key'), dataDir))).toEqual({ path: 'CORRIDOR_KEY_FILE', problem: 'unreadable' });
    mkdirSync(join(root, 'a-folder.key'));
    expect(problemOf(() => readKeyFile(join(root, 'a-folder.key'), dataDir))).toEqual({ path: 'CORRIDOR_KEY_FILE', problem: 'not_a_file' });
    // another key in a well-formed file: rejected by the ring
    writeFileSync(keyFile, `${formatKey(newDatabaseKey())}\n`, { mode: 0o600 });
    await expect(unlockDataDir(dataDir, { keyFile })).rejects.toMatchObject({ code: 'KeyRejected' });
  });

  it('a second ring is never written over the first; a passphrase change keeps the key and leaves no temporary file', async () => {
    const dataDir = join(root, 'node-2');
    const recovery = await createKeyRing(dataDir, { passphrase: 'first passphrase', recovery: true, kdf: CHEAP });
    await expect(createKeyRing(dataDir, { passphrase: 'another one here', kdf: CHEAP })).rejects.toMatchObject({ code: 'InvalidRequest' });
    const before = readFileSync(join(dataDir, 'db-key.json'), 'utf8');
    await expect(changePassphrase(dataDir, { passphrase: 'not the first one' }, 'second passphrase', CHEAP)).rejects.toMatchObject({ code: 'KeyRejected' });
    expect(readFileSync(join(dataDir, 'db-key.json'), 'utf8')).toBe(before);
    await changePassphrase(dataDir, { recoveryKey: recovery.recoveryKey! }, 'second passphrase', CHEAP);
    expect(await unlockDataDir(dataDir, { passphrase: 'second passphrase' })).toEqual(recovery.databaseKey);
    await expect(unlockDataDir(dataDir, { passphrase: 'first passphrase' })).rejects.toMatchObject({ code: 'KeyRejected' });
    expect(readdirSync(dataDir)).toEqual(['db-key.json']);
  });
});
