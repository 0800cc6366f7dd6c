import { describe, expect, it } from 'vitest';
import { scryptKey } from '../../protocol/index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const text = (s: string) => new TextEncoder().encode(s);

// RFC 7914 section 12, the test vectors for scrypt
describe('scryptKey (RFC 7914 test vectors)', () => {
  it('P="", S="", N=16, r=1, p=1', async () => {
    const key = await scryptKey(text(''), text(''), { logN: 4, r: 1, p: 1 }, 64);
    expect(hex(key)).toBe(
      '77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906',
    );
  });

  it('P="password", S="NaCl", N=1024, r=8, p=16', async () => {
    const key = await scryptKey(text('password'), text('NaCl'), { logN: 10, r: 8, p: 16 }, 64);
    expect(hex(key)).toBe(
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
    );
  });

  it('a different passphrase gives a different key', async () => {
    const a = await scryptKey(text('correct horse'), text('salt'), { logN: 10, r: 8, p: 1 });
    const b = await scryptKey(text('correct horsf'), text('salt'), { logN: 10, r: 8, p: 1 });
    expect(a).toHaveLength(32);
    expect(hex(a)).not.toBe(hex(b));
  });
});
