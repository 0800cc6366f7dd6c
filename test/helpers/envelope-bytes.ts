/**
 * Byte surgery on envelopes (`u16be(H) ‖ header ‖ box`) for the bad-input tests: where the outer
 * header ends and what it says, which header bytes the transport stores without judging, one bit
 * flipped, and the pieces to build a body by hand.
 */

/** `u16be(H) ‖ header`: where the outer header ends */
export const headerEnd = (envelope: Uint8Array): number => 2 + (((envelope[0] ?? 0) << 8) | (envelope[1] ?? 0));

export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const i = bit >>> 3;
  out[i] = (out[i] ?? 0) ^ (1 << (bit & 7));
  return out;
}

export function headerText(envelope: Uint8Array): string {
  return Buffer.from(envelope.subarray(2, headerEnd(envelope))).toString('utf8');
}

/** byte ranges (in the envelope) of the outer header's `prekey` and `expires` values */
export function mutableHeaderValues(envelope: Uint8Array): [number, number][] {
  const text = headerText(envelope);
  const out: [number, number][] = [];
  const p = text.indexOf('"prekey":"');
  if (p >= 0) {
    const start = p + '"prekey":"'.length;
    out.push([2 + start, 2 + text.indexOf('"', start)]);
  }
  const e = text.indexOf('"expires":');
  if (e >= 0) {
    const start = e + '"expires":'.length;
    out.push([2 + start, 2 + text.indexOf('}', start)]);
  }
  return out;
}

export function u16(n: number): Uint8Array {
  return Uint8Array.of((n >>> 8) & 0xff, n & 0xff);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
