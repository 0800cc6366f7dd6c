import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MerkleAccumulator,
  consistencyProof,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../../protocol/index.js';

/**
 * RFC 6962 / RFC 9162 Merkle trees. The known answers are the Certificate Transparency reference
 * vectors (google/certificate-transparency merkle_tree_test.cc, the same data as
 * transparency-dev/merkle testonly/constants.go), compared with published copies of those
 * constants, and cross-checked below against an independent, literal transcription of RFC 6962
 * section 2.1 (recursive MTH, PATH and PROOF over node:crypto directly, sharing no code with
 * protocol/audit).
 */

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

// ---- reference: RFC 6962 section 2.1, word for word ----
const H = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const refLeaf = (d: Uint8Array) => H(Uint8Array.of(0), d);
const refNode = (l: Uint8Array, r: Uint8Array) => H(Uint8Array.of(1), l, r);
const refK = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1); // largest power of two < n (n >= 2)
function refMth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return H();
  if (d.length === 1) return refLeaf(d[0]!);
  const k = refK(d.length);
  return refNode(refMth(d.slice(0, k)), refMth(d.slice(k)));
}
function refPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = refK(d.length);
  return m < k ? [...refPath(m, d.slice(0, k)), refMth(d.slice(k))] : [...refPath(m - k, d.slice(k)), refMth(d.slice(0, k))];
}
function refSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [refMth(d)];
  const k = refK(d.length);
  return m <= k ? [...refSubproof(m, d.slice(0, k), b), refMth(d.slice(k))] : [...refSubproof(m - k, d.slice(k), false), refMth(d.slice(0, k))];
}

// ---- the CT reference vectors ----
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const LEAF_HASHES = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// proofs from the same test file: inclusion of leaf 0 and leaf 5 in the 8-leaf tree, consistency 1->8, 6->8, 2->5
const INCLUSION_0_8 = ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'];
const INCLUSION_5_8 = ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'];
const CONSISTENCY_1_8 = INCLUSION_0_8;
const CONSISTENCY_6_8 = ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'];
const CONSISTENCY_2_5 = ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'];

const value = <T>(r: { ok: true; value: T } | { ok: false }): T => {
  if (!r.ok) throw new Error('expected ok');
  return r.value;
};

describe('RFC 6962 hashing: known answers', () => {
  it('the empty tree is SHA-256 of the empty string', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(rootOf([])).toEqual(EMPTY_ROOT);
    expect(new MerkleAccumulator().root()).toEqual(EMPTY_ROOT);
  });

  it('the CT leaf hashes and roots for sizes 1..8, by rootOf, the accumulator and the reference', () => {
    const hashes = LEAVES.map(leafHash);
    expect(hashes.map(hex)).toEqual(LEAF_HASHES);
    const acc = new MerkleAccumulator();
    for (let n = 1; n <= 8; n++) {
      acc.append(hashes[n - 1]!);
      expect(hex(rootOf(hashes.slice(0, n))), `size ${n}`).toBe(ROOTS[n - 1]);
      expect(hex(acc.root()), `accumulator size ${n}`).toBe(ROOTS[n - 1]);
      expect(hex(refMth(LEAVES.slice(0, n))), `reference size ${n}`).toBe(ROOTS[n - 1]);
    }
  });

  it('the CT inclusion and consistency proofs', () => {
    const hashes = LEAVES.map(leafHash);
    expect(value(inclusionProof(hashes, 0, 8)).map(hex)).toEqual(INCLUSION_0_8);
    expect(value(inclusionProof(hashes, 5, 8)).map(hex)).toEqual(INCLUSION_5_8);
    expect(value(consistencyProof(hashes, 1, 8)).map(hex)).toEqual(CONSISTENCY_1_8);
    expect(value(consistencyProof(hashes, 6, 8)).map(hex)).toEqual(CONSISTENCY_6_8);
    expect(value(consistencyProof(hashes, 2, 5)).map(hex)).toEqual(CONSISTENCY_2_5);
    const root = (n: number) => unhex(ROOTS[n - 1]!);
    expect(verifyInclusion(hashes[5], 5, 8, INCLUSION_5_8.map(unhex), root(8))).toBe(true);
    expect(verifyConsistency(6, 8, root(6), root(8), CONSISTENCY_6_8.map(unhex))).toBe(true);
    expect(verifyConsistency(2, 5, root(2), root(5), CONSISTENCY_2_5.map(unhex))).toBe(true);
  });
});

// ---- exhaustive proofs over 64 distinct leaves ----
const N = 64;
const DATA = Array.from({ length: N }, (_, i) => Uint8Array.of(i, i * 7, 0xa5));
const HASHES = DATA.map(leafHash);
const ROOT = Array.from({ length: N + 1 }, (_, n) => rootOf(HASHES.slice(0, n)));

function flipBit(proof: Uint8Array[], at: number, bit: number): Uint8Array[] {
  return proof.map((h, i) => {
    if (i !== at) return h;
    const c = Uint8Array.from(h);
    c[bit >> 3]! ^= 1 << (bit & 7);
    return c;
  });
}

describe('inclusion proofs: every (index, size) up to 64 leaves', () => {
  it('match the reference PATH, verify, and every mutation is refused', () => {
    let checked = 0;
    for (let size = 1; size <= N; size++) {
      expect(rootOf(HASHES.slice(0, size))).toEqual(refMth(DATA.slice(0, size)));
      for (let index = 0; index < size; index++) {
        const proof = value(inclusionProof(HASHES, index, size));
        expect(proof).toEqual(refPath(index, DATA.slice(0, size)));
        const leaf = HASHES[index]!;
        const root = ROOT[size]!;
        expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true);
        // one bit flipped in each hash of the proof (a different bit each time), in the leaf, in the root
        for (let i = 0; i < proof.length; i++) expect(verifyInclusion(leaf, index, size, flipBit(proof, i, (index * 31 + size * 7 + i * 13) % 256), root)).toBe(false);
        expect(verifyInclusion(flipBit([leaf], 0, index % 256)[0], index, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, proof, flipBit([root], 0, size % 256)[0])).toBe(false);
        // wrong index, wrong size (a tree of another height), wrong leaf, another size's root
        if (index > 0) expect(verifyInclusion(leaf, index - 1, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index + 1, size, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, size * 2, proof, root)).toBe(false);
        expect(verifyInclusion(leaf, index, Math.floor(size / 2), proof, root)).toBe(false);
        expect(verifyInclusion(HASHES[(index + 1) % N], index, size, proof, root)).toBe(false);
        if (size > 1) expect(verifyInclusion(leaf, index, size, proof, ROOT[size - 1])).toBe(false);
        // garbage before or after, a hash dropped
        expect(verifyInclusion(leaf, index, size, [EMPTY_ROOT, ...proof], root)).toBe(false);
        expect(verifyInclusion(leaf, index, size, [...proof, EMPTY_ROOT], root)).toBe(false);
        if (proof.length > 0) expect(verifyInclusion(leaf, index, size, proof.slice(1), root)).toBe(false);
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
  });

  it('every bit of one proof, flipped in turn, is refused', () => {
    const proof = value(inclusionProof(HASHES, 37, 61));
    for (let i = 0; i < proof.length; i++) for (let bit = 0; bit < 256; bit++) expect(verifyInclusion(HASHES[37], 37, 61, flipBit(proof, i, bit), ROOT[61])).toBe(false);
  });
});

describe('consistency proofs: every (m, n) up to 64 leaves', () => {
  it('match the reference PROOF, verify, and every mutation is refused', () => {
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = value(consistencyProof(HASHES, m, n));
        expect(proof).toEqual(m === n ? [] : refSubproof(m, DATA.slice(0, n), true));
        const [rm, rn] = [ROOT[m]!, ROOT[n]!];
        expect(verifyConsistency(m, n, rm, rn, proof)).toBe(true);
        for (let i = 0; i < proof.length; i++) expect(verifyConsistency(m, n, rm, rn, flipBit(proof, i, (m * 29 + n * 11 + i * 5) % 256))).toBe(false);
        if (m < n) {
          expect(verifyConsistency(m, n, flipBit([rm], 0, m % 256)[0], rn, proof)).toBe(false);
          expect(verifyConsistency(m, n, rm, flipBit([rn], 0, n % 256)[0], proof)).toBe(false);
          expect(verifyConsistency(m, n, rm, rm, proof)).toBe(false);
          // wrong sizes: the old tree one smaller or larger, the new tree of another height
          if (m > 1) expect(verifyConsistency(m - 1, n, rm, rn, proof)).toBe(false);
          if (m + 1 < n) expect(verifyConsistency(m + 1, n, rm, rn, proof)).toBe(false);
          expect(verifyConsistency(m, n * 2, rm, rn, proof)).toBe(false);
          if (Math.floor(n / 2) > m) expect(verifyConsistency(m, Math.floor(n / 2), rm, rn, proof)).toBe(false);
          // garbage before or after, a hash dropped, no proof at all
          expect(verifyConsistency(m, n, rm, rn, [EMPTY_ROOT, ...proof])).toBe(false);
          expect(verifyConsistency(m, n, rm, rn, [...proof, EMPTY_ROOT])).toBe(false);
          expect(verifyConsistency(m, n, rm, rn, proof.slice(1))).toBe(false);
          expect(verifyConsistency(m, n, rm, rn, [])).toBe(false);
        } else {
          expect(verifyConsistency(m, n, rm, ROOT[n - 1], [])).toBe(false);
          expect(verifyConsistency(m, n, rm, rn, [rm])).toBe(false);
        }
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
  });

  it('a log that rewrote one old entry cannot prove consistency with its earlier root', () => {
    const forked = HASHES.slice(0, 40);
    forked[17] = leafHash(Uint8Array.of(0xff));
    for (const m of [18, 20, 32, 39]) {
      const proof = value(consistencyProof(forked, m, 40));
      expect(verifyConsistency(m, 40, ROOT[m], rootOf(forked), proof)).toBe(false);
      expect(verifyConsistency(m, 40, rootOf(forked.slice(0, m)), rootOf(forked), proof)).toBe(true);
    }
  });

  it('size 0: the empty tree is consistent with every tree, through an empty proof', () => {
    expect(value(consistencyProof(HASHES, 0, 10))).toEqual([]);
    expect(verifyConsistency(0, 10, EMPTY_ROOT, ROOT[10], [])).toBe(true);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(0, 10, ROOT[1], ROOT[10], [])).toBe(false);
    expect(verifyConsistency(0, 10, EMPTY_ROOT, ROOT[10], [EMPTY_ROOT])).toBe(false);
  });
});

describe('bad input: false or a Result, never a throw', () => {
  const proof = value(inclusionProof(HASHES, 3, 10));
  const cproof = value(consistencyProof(HASHES, 3, 10));

  it('verifiers refuse malformed arguments', () => {
    const bad: unknown[] = [undefined, null, -1, 1.5, Number.NaN, Infinity, 2 ** 53, '3', 3n, {}, [], new Uint8Array(31), new Uint8Array(33), 'AAAA'];
    for (const x of bad) {
      expect(verifyInclusion(x, 3, 10, proof, ROOT[10])).toBe(false);
      expect(verifyInclusion(HASHES[3], x, 10, proof, ROOT[10])).toBe(false);
      expect(verifyInclusion(HASHES[3], 3, x, proof, ROOT[10])).toBe(false);
      expect(verifyInclusion(HASHES[3], 3, 10, x, ROOT[10])).toBe(false);
      expect(verifyInclusion(HASHES[3], 3, 10, proof, x)).toBe(false);
      expect(verifyInclusion(HASHES[3], 3, 10, [...proof.slice(0, -1), x], ROOT[10])).toBe(false);
      expect(verifyConsistency(x, 10, ROOT[3], ROOT[10], cproof)).toBe(false);
      expect(verifyConsistency(3, x, ROOT[3], ROOT[10], cproof)).toBe(false);
      expect(verifyConsistency(3, 10, x, ROOT[10], cproof)).toBe(false);
      expect(verifyConsistency(3, 10, ROOT[3], x, cproof)).toBe(false);
      expect(verifyConsistency(3, 10, ROOT[3], ROOT[10], x)).toBe(false);
    }
    expect(verifyInclusion(HASHES[3], 3, 10, new Array(10_000).fill(EMPTY_ROOT), ROOT[10])).toBe(false);
    // a sparse array: its holes are not hashes
    const holes = new Array<Uint8Array>(proof.length);
    holes[0] = proof[0]!;
    expect(verifyInclusion(HASHES[3], 3, 10, holes, ROOT[10])).toBe(false);
    expect(verifyConsistency(3, 10, ROOT[3], ROOT[10], new Array<Uint8Array>(cproof.length))).toBe(false);
    expect(MerkleAccumulator.fromFrontier(3, new Array<Uint8Array>(2)).ok).toBe(false);
    expect(verifyInclusion(HASHES[3], 10, 10, proof, ROOT[10])).toBe(false);
    expect(verifyConsistency(10, 3, ROOT[10], ROOT[3], cproof)).toBe(false);
    // a huge claimed size ends after a handful of hashes
    expect(verifyInclusion(HASHES[3], 3, Number.MAX_SAFE_INTEGER, proof, ROOT[10])).toBe(false);
    expect(verifyConsistency(3, Number.MAX_SAFE_INTEGER, ROOT[3], ROOT[10], cproof)).toBe(false);
  });

  it('proof makers answer InvalidRequest or NotFound', () => {
    expect(inclusionProof(HASHES, 10, 10)).toEqual({ ok: false, code: 'InvalidRequest' });
    expect(inclusionProof(HASHES, -1, 10)).toEqual({ ok: false, code: 'InvalidRequest' });
    expect(inclusionProof(HASHES, 0, 0)).toEqual({ ok: false, code: 'InvalidRequest' });
    expect(inclusionProof(HASHES, 0, N + 1)).toEqual({ ok: false, code: 'NotFound' });
    expect(inclusionProof(HASHES, 0, 1.5)).toEqual({ ok: false, code: 'InvalidRequest' });
    expect(consistencyProof(HASHES, 5, 4)).toEqual({ ok: false, code: 'InvalidRequest' });
    expect(consistencyProof(HASHES, 4, N + 1)).toEqual({ ok: false, code: 'NotFound' });
    expect(consistencyProof(HASHES, Number.NaN, 4)).toEqual({ ok: false, code: 'InvalidRequest' });
  });
});

describe('the accumulator (the append path)', () => {
  it('equals rootOf at every size, for random sizes and leaves', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 300 }), (data) => {
        const hashes = data.map(leafHash);
        const acc = new MerkleAccumulator();
        for (const h of hashes) acc.append(h);
        expect(acc.size).toBe(hashes.length);
        expect(acc.root()).toEqual(rootOf(hashes));
        expect(acc.frontier().length).toBe(hashes.length.toString(2).replace(/0/g, '').length);
      }),
      { numRuns: 200 },
    );
  });

  it('resumes from its frontier, and refuses a frontier that does not fit the size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 100 }), (first, more) => {
        const hashes = Array.from({ length: first + more }, (_, i) => leafHash(Uint8Array.of(i & 255, i >> 8)));
        const acc = new MerkleAccumulator();
        for (const h of hashes.slice(0, first)) acc.append(h);
        const resumed = value(MerkleAccumulator.fromFrontier(acc.size, acc.frontier()));
        for (const h of hashes.slice(first)) resumed.append(h);
        expect(resumed.root()).toEqual(rootOf(hashes));
      }),
      { numRuns: 100 },
    );
    const acc = new MerkleAccumulator();
    for (const h of HASHES.slice(0, 7)) acc.append(h);
    expect(MerkleAccumulator.fromFrontier(8, acc.frontier()).ok).toBe(false);
    expect(MerkleAccumulator.fromFrontier(7, acc.frontier().slice(1)).ok).toBe(false);
    expect(MerkleAccumulator.fromFrontier(7, [...acc.frontier().slice(1), new Uint8Array(5)]).ok).toBe(false);
    expect(MerkleAccumulator.fromFrontier(-1, []).ok).toBe(false);
    expect(MerkleAccumulator.fromFrontier(0, 'x').ok).toBe(false);
    expect(() => acc.append(new Uint8Array(31))).toThrow(RangeError);
  });

  it('the frontier is a copy: changing it does not change the log', () => {
    const acc = new MerkleAccumulator();
    for (const h of HASHES.slice(0, 5)) acc.append(h);
    acc.frontier()[0]!.fill(0);
    expect(acc.root()).toEqual(ROOT[5]);
  });
});
