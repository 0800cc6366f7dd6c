import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Test-vector helpers for test/conformance. The Wycheproof files live OUTSIDE the repository
 * (../shared/testdata/wycheproof/ relative to the repository root) and are read at run time,
 * never copied in. This file sits in test/helpers/, two levels below the repository root, so
 * three `..` segments reach the directory that holds both the repository and `shared/`.
 */
// CORRIDOR_SHARED_DIR (absolute) overrides the sibling folder, e.g. for a clone made elsewhere
const sharedDir = process.env.CORRIDOR_SHARED_DIR;
export const WYCHEPROOF_DIR = sharedDir
  ? new URL(`file://${sharedDir.replace(/\/+$/, '')}/testdata/wycheproof/`)
  : new URL('../../../shared/testdata/wycheproof/', import.meta.url);

/** Strict hex decoding: an odd length or a non-hex character is a broken vector, not a silent truncation. */
export function hex(text: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new Error(`not hex: ${JSON.stringify(text)}`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: WycheproofResult;
}

export interface WycheproofFile<G> {
  algorithm: string;
  numberOfTests: number;
  testGroups: G[];
}

/** Reads and parses one Wycheproof JSON file; fails loudly (with the resolved path) if it is missing. */
export function loadWycheproof<G extends { tests: WycheproofTest[] }>(name: string): WycheproofFile<G> {
  const url = new URL(name, WYCHEPROOF_DIR);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`Wycheproof vector file not found at ${path} (expected ../shared/testdata/wycheproof/ next to the repository)`);
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as WycheproofFile<G>;
  if (!Array.isArray(parsed.testGroups) || typeof parsed.numberOfTests !== 'number') throw new Error(`${path} is not a Wycheproof test file`);
  return parsed;
}

/** Every test of every group, with its group alongside. */
export function allTests<G extends { tests: WycheproofTest[] }>(file: WycheproofFile<G>): Array<{ group: G; test: G['tests'][number] }> {
  return file.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })));
}
