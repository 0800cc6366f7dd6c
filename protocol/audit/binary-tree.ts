import { sha256Binary } from '../crypto/native.js';
import { EMPTY_ROOT, HASH_BYTES } from './merkle.js';

/**
 * The RFC 6962 tree of `merkle.ts` with its hashes held as binary strings (32 characters, one per
 * byte): the form `audit verify` works in, a million leaves and as many interior nodes, where a
 * Uint8Array per digest costs more than the hash of a small input. Same leaves, same nodes, same
 * root as `MerkleAccumulator` (test/protocol/audit-binary-tree.test.ts checks them against it).
 */

// prefixes as bytes: a one-character string costs a string write into the scratch buffer
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** `leafHash(bytes)` as a binary string: SHA-256(0x00 ‖ bytes). */
export function leafHashBinary(bytes: Uint8Array): string {
  return sha256Binary(LEAF_PREFIX, bytes);
}

/** `nodeHash(left, right)` over binary strings: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHashBinary(left: string, right: string): string {
  return sha256Binary(NODE_PREFIX, left, right);
}

export function binaryToBytes(hash: string): Uint8Array {
  const out = new Uint8Array(hash.length);
  for (let i = 0; i < hash.length; i++) out[i] = hash.charCodeAt(i);
  return out;
}

export function bytesToBinary(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

const EMPTY_ROOT_BINARY = bytesToBinary(EMPTY_ROOT);

/** `MerkleAccumulator`'s append and root over binary strings: the roots of the perfect subtrees so far, largest first. */
export class BinaryAccumulator {
  #size = 0;
  readonly #stack: string[] = [];

  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash (from `leafHashBinary`). A wrong length is a programming error: RangeError. */
  append(leaf: string): void {
    if (leaf.length !== HASH_BYTES) throw new RangeError('a leaf hash is 32 bytes');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('the log is full');
    let node = leaf;
    for (let s = this.#size; s % 2 === 1; s = (s - 1) / 2) node = nodeHashBinary(this.#stack.pop()!, node);
    this.#stack.push(node);
    this.#size++;
  }

  rootBinary(): string {
    const stack = this.#stack;
    if (stack.length === 0) return EMPTY_ROOT_BINARY;
    let root = stack[stack.length - 1]!;
    for (let i = stack.length - 2; i >= 0; i--) root = nodeHashBinary(stack[i]!, root);
    return root;
  }

  root(): Uint8Array {
    return binaryToBytes(this.rootBinary());
  }
}
