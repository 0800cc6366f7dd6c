import { z } from 'zod';
import { CountryCode } from '../schemas/common.js';

/**
 * The Corridor profile of HSDS 3.0: what an entry's `profile` holds. It is an HSDS 3.0
 * `organization` with its `services` nested (as in the official organization_full example), and
 * the facts the route needs as `corridor` extension objects, which HSDS allows (unknown
 * properties are extensions; a profile may add fields). The node checks the HSDS part against the
 * official schemas on import; these zod schemas check the Corridor part everywhere.
 *
 * A confidential location (a shelter) is only a contact point: it may carry phones, contacts and
 * a city, never an address, coordinates or directions.
 */

/** Who a service is for. */
export const SERVED_GROUPS = ['women', 'men', 'girls', 'boys', 'unaccompanied_minors', 'families', 'lgbtqi'] as const;
export const ServedGroup = z.enum(SERVED_GROUPS);
export type ServedGroup = z.infer<typeof ServedGroup>;

/**
 * Service types: the Corridor taxonomy (HSDS `taxonomy_term.code` under taxonomy `corridor`),
 * after the TRM guidelines' assistance measures.
 */
export const SERVICE_TYPES = [
  'shelter',
  'legal_aid',
  'psychosocial',
  'medical',
  'hotline',
  'identification',
  'outreach',
  'return_reintegration',
  'interpretation',
  'accompaniment',
  'employment',
  'education',
  'child_protection',
] as const;
export const ServiceType = z.enum(SERVICE_TYPES);
export type ServiceType = z.infer<typeof ServiceType>;

/** ISO 639-1 or 639-3, lower case (HSDS `language.code`). */
export const LanguageCode = z.string().regex(/^[a-z]{2,3}$/, 'ISO 639 language code');
const IsoDate = z.iso.date();

export const Licence = z.strictObject({
  issuer: z.string().min(1).max(200),
  /** YYYY-MM-DD */
  validUntil: IsoDate,
  status: z.enum(['valid', 'suspended', 'revoked', 'expired']),
});
export type Licence = z.infer<typeof Licence>;

/** Where a service works when it has no public address (a confidential shelter, a national hotline). */
export const ServiceArea = z.strictObject({ country: CountryCode, city: z.string().min(1).max(100).optional() });

export const CorridorService = z.strictObject({
  types: z.array(ServiceType).min(1).max(SERVICE_TYPES.length),
  served: z.array(ServedGroup).max(SERVED_GROUPS.length),
  /** reachable day and night, every day */
  hotline24h: z.boolean().optional(),
  /** languages offered through interpreters, beyond the service's own `languages` */
  interpretation: z.array(LanguageCode).max(32).optional(),
  licence: Licence.optional(),
  areas: z.array(ServiceArea).max(64).optional(),
});
export type CorridorService = z.infer<typeof CorridorService>;

export const CorridorLocation = z.strictObject({ confidential: z.boolean() });
export type CorridorLocation = z.infer<typeof CorridorLocation>;

export const CorridorOrganization = z.strictObject({
  /** the country the organisation is based in */
  country: CountryCode,
  /** details invented for the demo (never shown as real) */
  demo: z.boolean().optional(),
});
export type CorridorOrganization = z.infer<typeof CorridorOrganization>;

/** Fields a confidential location must not carry: only a contact point is ever stored. */
export const CONFIDENTIAL_LOCATION_FORBIDDEN = ['addresses', 'latitude', 'longitude', 'transportation', 'external_identifier'] as const;

/** The HSDS parts the node relies on; everything else in them is kept as it came. */
const HsdsLocation = z
  .looseObject({
    id: z.string().min(1),
    location_type: z.string(),
    corridor: CorridorLocation.optional(),
  })
  .superRefine((l, ctx) => {
    if (!l.corridor?.confidential) return;
    for (const key of CONFIDENTIAL_LOCATION_FORBIDDEN) {
      if (l[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'a confidential location is a contact point only' });
    }
  });
const HsdsService = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  status: z.string(),
  corridor: CorridorService,
  service_at_locations: z.array(z.looseObject({ id: z.string(), location: HsdsLocation.optional() })).optional(),
});

export const OrgProfile = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  corridor: CorridorOrganization,
  services: z.array(HsdsService).max(2000),
  locations: z.array(HsdsLocation).optional(),
});
export type OrgProfile = z.infer<typeof OrgProfile>;

