import { type Result, fail, ok } from '../errors.js';
import { sha256 } from '../crypto/native.js';

/**
 * RFC 6962 (Certificate Transparency) Merkle tree hashing, the tree behind every node's audit log:
 *
 * - leaf hash `SHA-256(0x00 ‖ entry bytes)`, interior node `SHA-256(0x01 ‖ left ‖ right)`: the two
 *   prefixes keep a leaf from ever being taken for a node (second-preimage resistance);
 * - MTH of the empty tree is `SHA-256("")`; for n > 1 leaves the left subtree holds the largest
 *   power of two smaller than n (RFC 6962 section 2.1);
 * - inclusion and consistency proofs (RFC 6962 sections 2.1.1, 2.1.2) and their verification as
 *   RFC 9162 sections 2.1.3.2 and 2.1.4.2 write it.
 *
 * Sizes and indices are JavaScript safe integers (arithmetic, not 32-bit bit operations). The
 * verifiers take anything from outside and answer `false`, never a throw; the proof makers answer
 * a Result.
 */

export const HASH_BYTES = 32;
/** More hashes than any proof over a tree of 2^53 leaves holds (inclusion <= 53, consistency <= 106). */
export const MAX_PROOF_HASHES = 128;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** MTH({}) = SHA-256 of the empty string: the root of the empty log. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

export function leafHash(bytes: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, bytes);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

const isHash = (value: unknown): value is Uint8Array => value instanceof Uint8Array && value.length === HASH_BYTES;
/** Every element a 32-byte hash (an index loop: `every` would skip the holes of a sparse array). */
function allHashes(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (!isHash(values[i])) return false;
  return true;
}
const isSize = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Constant-time-enough equality of two digests (both public: roots and proof hashes). */
function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Largest power of two strictly smaller than n (n >= 2): RFC 6962's split point k. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH over `leafHashes[start, end)`, pairing each level from the left and carrying an odd last
 * node up unchanged: the same tree as RFC 6962's recursive split, in O(end - start) memory.
 */
function rangeRoot(leafHashes: readonly Uint8Array[], start: number, end: number): Uint8Array {
  if (end <= start) return EMPTY_ROOT;
  let level: Uint8Array[] = leafHashes.slice(start, end);
  while (level.length > 1) {
    const next: Uint8Array[] = new Array<Uint8Array>(Math.ceil(level.length / 2));
    for (let i = 0; i + 1 < level.length; i += 2) next[i >> 1] = nodeHash(level[i]!, level[i + 1]!);
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1]!;
    level = next;
  }
  return level[0]!;
}

/** The root (MTH) of the tree over these leaf hashes; EMPTY_ROOT for none. */
export function rootOf(leafHashes: readonly Uint8Array[]): Uint8Array {
  return rangeRoot(leafHashes, 0, leafHashes.length);
}

/**
 * The node's append path: the roots of the perfect subtrees that make up the tree so far (one
 * per set bit of `size`, largest first), O(log n) state. `root()` folds them from the right, which
 * is RFC 6962's MTH. `frontier` and `fromFrontier` let a node persist the state and resume without
 * rehashing its log.
 */
export class MerkleAccumulator {
  #size = 0;
  readonly #stack: Uint8Array[] = [];

  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash (from `leafHash`). A wrong length is a programming error: RangeError. */
  append(hash: Uint8Array): void {
    if (!isHash(hash)) throw new RangeError('a leaf hash is 32 bytes');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('the log is full');
    let node = hash;
    // each trailing 1 bit of the old size is a perfect subtree of the same height: merge it
    for (let s = this.#size; s % 2 === 1; s = (s - 1) / 2) node = nodeHash(this.#stack.pop()!, node);
    this.#stack.push(node);
    this.#size++;
  }

  root(): Uint8Array {
    const stack = this.#stack;
    if (stack.length === 0) return EMPTY_ROOT;
    let root = stack[stack.length - 1]!;
    for (let i = stack.length - 2; i >= 0; i--) root = nodeHash(stack[i]!, root);
    return root;
  }

  /** A copy of the perfect subtree roots, largest first. */
  frontier(): Uint8Array[] {
    return this.#stack.map((h) => Uint8Array.from(h));
  }

  /** Resumes from a stored `{size, frontier}`; `InvalidRequest` if they do not fit each other. */
  static fromFrontier(size: unknown, frontier: unknown): Result<MerkleAccumulator, 'InvalidRequest'> {
    if (!isSize(size) || !Array.isArray(frontier) || frontier.length > 64 || !allHashes(frontier)) return fail('InvalidRequest');
    let bits = 0;
    for (let s = size; s > 0; s = Math.floor(s / 2)) bits += s % 2;
    if (bits !== frontier.length) return fail('InvalidRequest');
    const acc = new MerkleAccumulator();
    acc.#size = size;
    for (const h of frontier as Uint8Array[]) acc.#stack.push(Uint8Array.from(h));
    return ok(acc);
  }
}

type ProofProblem = 'InvalidRequest' | 'NotFound';

function checkLeaves(leafHashes: readonly Uint8Array[], size: number): Result<null, ProofProblem> {
  if (!isSize(size)) return fail('InvalidRequest');
  if (size > leafHashes.length) return fail('NotFound');
  return ok(null);
}

/**
 * RFC 6962 section 2.1.1 PATH(index, D[0:size]): the sibling hashes from the leaf up to the root.
 * `InvalidRequest` for an index outside [0, size), `NotFound` for a size the log has not reached.
 * O(size) hashes (every sibling subtree is rehashed from the leaves).
 */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number, size: number): Result<Uint8Array[], ProofProblem> {
  const checked = checkLeaves(leafHashes, size);
  if (!checked.ok) return checked;
  if (!isSize(index) || index >= size) return fail('InvalidRequest');
  const topDown: Uint8Array[] = [];
  let start = 0;
  let end = size;
  let m = index;
  while (end - start > 1) {
    const k = split(end - start);
    if (m < k) {
      topDown.push(rangeRoot(leafHashes, start + k, end));
      end = start + k;
    } else {
      topDown.push(rangeRoot(leafHashes, start, start + k));
      start += k;
      m -= k;
    }
  }
  return ok(topDown.reverse());
}

/**
 * RFC 6962 section 2.1.2 PROOF(m, D[0:n]): what shows that the tree of size m is a prefix of the
 * tree of size n. Empty for m = n and for m = 0. `InvalidRequest` for m > n, `NotFound` for an n
 * the log has not reached. O(n) hashes.
 */
export function consistencyProof(leafHashes: readonly Uint8Array[], m: number, n: number): Result<Uint8Array[], ProofProblem> {
  const checked = checkLeaves(leafHashes, n);
  if (!checked.ok) return checked;
  if (!isSize(m) || m > n) return fail('InvalidRequest');
  if (m === 0 || m === n) return ok([]);
  const topDown: Uint8Array[] = [];
  let start = 0;
  let end = n;
  let sub = m;
  let whole = true; // SUBPROOF's flag b: is D[start:start+sub] the old tree itself?
  while (sub !== end - start) {
    const k = split(end - start);
    if (sub <= k) {
      topDown.push(rangeRoot(leafHashes, start + k, end));
      end = start + k;
    } else {
      topDown.push(rangeRoot(leafHashes, start, start + k));
      start += k;
      sub -= k;
      whole = false;
    }
  }
  if (!whole) topDown.push(rangeRoot(leafHashes, start, end));
  return ok(topDown.reverse());
}

function isProof(proof: unknown): proof is readonly Uint8Array[] {
  return Array.isArray(proof) && proof.length <= MAX_PROOF_HASHES && allHashes(proof);
}

const half = (x: number) => Math.floor(x / 2);
const odd = (x: number) => x % 2 === 1;

/** RFC 9162 section 2.1.3.2: is `leafHash` the leaf at `index` of the tree of `size` with `root`? */
export function verifyInclusion(leafHash: unknown, index: unknown, size: unknown, proof: unknown, root: unknown): boolean {
  if (!isHash(leafHash) || !isHash(root) || !isSize(index) || !isSize(size) || !isProof(proof)) return false;
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

/**
 * RFC 9162 section 2.1.4.2: is the tree of size m with rootM a prefix of the tree of size n with
 * rootN? For m = n the proof must be empty and the roots equal; for m = 0 the proof must be empty
 * and rootM the empty tree's root (every log extends the empty one).
 */
export function verifyConsistency(m: unknown, n: unknown, rootM: unknown, rootN: unknown, proof: unknown): boolean {
  if (!isSize(m) || !isSize(n) || !isHash(rootM) || !isHash(rootN) || !isProof(proof)) return false;
  if (m > n) return false;
  if (m === n) return proof.length === 0 && sameHash(rootM, rootN);
  if (m === 0) return proof.length === 0 && sameHash(rootM, EMPTY_ROOT);
  if (proof.length === 0) return false;
  // m an exact power of two: the old root itself is the first node of the path
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : proof;
  let fn = m - 1;
  let sn = n - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(fr, rootM) && sameHash(sr, rootN);
}

function isPowerOfTwo(x: number): boolean {
  if (x < 1) return false;
  while (x % 2 === 0) x /= 2;
  return x === 1;
}
