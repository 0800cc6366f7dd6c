import {
  type HeldPrekey,
  type OpenContext,
  type PrekeyCertificate,
  PrekeySecret,
  SigningKey,
  type TrustedNodeKey,
  type VerifiedPrekey,
  certifyNodeKey,
  certifyPrekey,
  sha256,
  verifyNodeKeyCertificate,
  verifyPrekey,
} from '../../protocol/index.js';

import { DAY, T0 } from './time.js';

export { DAY, T0 };

const encoder = new TextEncoder();
const seed = (label: string) => sha256(encoder.encode(`corridor test seed ${label}`));

export interface TestOrg {
  readonly name: string;
  readonly org: string;
  readonly node: string;
  readonly orgKey: SigningKey;
  readonly nodeKey: SigningKey;
  readonly trustedKey: TrustedNodeKey;
  readonly prekey: PrekeySecret;
  readonly prekeyCertificate: PrekeyCertificate;
  readonly prekeyWindow: { notBefore: number; notAfter: number };
  /** the prekey as a sender sees it after checking it against the directory */
  verifiedPrekey(now?: number): VerifiedPrekey;
  held(): HeldPrekey;
}

/** Fixed-seed keys for an organisation: the same bytes in every run. */
export function testOrg(name: string): TestOrg {
  const org = `org:${name}`;
  const node = `node:${name}`;
  const orgKey = SigningKey.fromSeed('org', seed(`${name} org`));
  const nodeKey = SigningKey.fromSeed('node', seed(`${name} node`));
  const cert = certifyNodeKey(orgKey, org, { node, publicKey: nodeKey.publicKey, notBefore: T0 - 30 * DAY, notAfter: T0 + 335 * DAY });
  const trusted = verifyNodeKeyCertificate(cert, orgKey.publicKey);
  if (!trusted.ok) throw new Error('test key certificate does not verify');
  const prekey = PrekeySecret.fromPrivateKey(seed(`${name} prekey`));
  const prekeyWindow = { notBefore: T0 - 7 * DAY, notAfter: T0 + 21 * DAY };
  const prekeyCertificate = certifyPrekey(nodeKey, node, prekey, prekeyWindow);
  return {
    name,
    org,
    node,
    orgKey,
    nodeKey,
    trustedKey: trusted.value,
    prekey,
    prekeyCertificate,
    prekeyWindow,
    verifiedPrekey(now = T0) {
      const v = verifyPrekey(prekeyCertificate, trusted.value, now);
      if (!v.ok) throw new Error(`test prekey does not verify: ${v.code}`);
      return v.value;
    },
    held() {
      return { secret: prekey, ...prekeyWindow };
    },
  };
}

export const astra = testOrg('astra');
export const lefoe = testOrg('lefoe-ibf');
export const openGate = testOrg('open-gate');
const everyone = [astra, lefoe, openGate];

/** The open() context of `receiver`, knowing every test org's node key, at `now`. */
export function openContext(receiver: TestOrg, overrides: Partial<OpenContext> = {}): OpenContext {
  return {
    self: receiver.node,
    now: T0,
    prekey: (kid) => (kid === receiver.prekey.kid ? receiver.held() : undefined),
    senderKey: (node, kid) => everyone.find((o) => o.node === node && o.nodeKey.kid === kid)?.trustedKey,
    ...overrides,
  };
}
