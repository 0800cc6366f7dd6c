import { z } from 'zod';
import { NodeKeyCertificate, PrekeyCertificate } from '../identity.js';
import { NodeId, OrgId, PublicKeyB64 } from '../ids.js';
import { PROTOCOL_VERSION } from '../version.js';

/**
 * What a node publishes at `/.well-known/corridor`: where its inbox is, its certified node keys
 * and its signed prekeys. Nothing here is trusted by itself: the org key that certifies the node
 * keys must be known (compared aloud by fingerprint, later the signed directory, issue 4).
 */
export const NodeDescriptor = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
  node: NodeId,
  org: OrgId,
  /** base URL; the inbox is `${url}/federation/v1/inbox/{id}` */
  url: z
    .url({ protocol: /^https?$/ })
    .max(512)
    .refine((u) => {
      const parsed = new URL(u);
      return parsed.username === '' && parsed.password === '' && parsed.search === '' && parsed.hash === '';
    }, 'a base URL without credentials, query or fragment'),
  protocols: z.array(z.string().max(32)).min(1).max(8),
  maxBytes: z.number().int().positive(),
  orgPublicKey: PublicKeyB64,
  nodeKeys: z.array(NodeKeyCertificate).min(1).max(8),
  prekeys: z.array(PrekeyCertificate).min(1).max(8),
});
export type NodeDescriptor = z.infer<typeof NodeDescriptor>;
