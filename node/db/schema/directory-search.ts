import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The offline search index over the services of the installed directory (node/directory/
 * search-index.ts fills it inside the transaction that installs a directory version). It is
 * derived data: dropping it and reindexing every entry gives the same rows.
 *
 * `directory_service` holds one row per service, with what the result list shows and the columns
 * the tie-break sorts on; its rowid is also the rowid of the service in `directory_service_fts`
 * (FTS5, declared in the migration SQL: drizzle cannot declare virtual tables). The filters
 * (country, city, type, language, served, hotline, licence) are tokens of the FTS table's
 * `facets` column, not rows of a facet table: FTS5 intersects its sorted doclists in about a
 * millisecond on 100,000 services, where a (service, kind, value) table needed 20-25 ms to
 * intersect four filters and doubled the index build time. A confidential location's address is
 * never stored here: `city` then comes from the service's areas.
 */
export const directoryService = sqliteTable(
  'directory_service',
  {
    rowid: integer('rowid').primaryKey(),
    org: text('org').notNull(),
    serviceId: text('serviceId').notNull(),
    name: text('name').notNull(),
    orgName: text('orgName').notNull(),
    /** ISO 3166-1 alpha-2 of the first place the service works in (display) */
    country: text('country'),
    /** the first city as written in the profile (display) */
    city: text('city'),
    minAge: integer('minAge'),
    maxAge: integer('maxAge'),
    hotline24h: integer('hotline24h').notNull(),
    licenceStatus: text('licenceStatus'),
    /** YYYY-MM-DD; a licence is valid on a day when its status is `valid` and this is not before it */
    licenceValidUntil: text('licenceValidUntil'),
    /** the service has a confidential location (a shelter): only a contact point is shown */
    confidential: integer('confidential').notNull(),
    /** the organisation's details are invented for the demo */
    demo: integer('demo').notNull(),
    /** folded name for the tie-break (accent- and case-insensitive) */
    sortKey: text('sortKey').notNull(),
    /** JSON of the result's service object (types, served, languages, contact points): no address */
    card: text('card').notNull(),
  },
  (t) => [index('directory_service_org').on(t.org)],
);
