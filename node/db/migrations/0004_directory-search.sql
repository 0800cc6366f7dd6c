CREATE TABLE `directory_service` (
	`rowid` integer PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`serviceId` text NOT NULL,
	`name` text NOT NULL,
	`orgName` text NOT NULL,
	`country` text,
	`city` text,
	`minAge` integer,
	`maxAge` integer,
	`hotline24h` integer NOT NULL,
	`licenceStatus` text,
	`licenceValidUntil` text,
	`confidential` integer NOT NULL,
	`demo` integer NOT NULL,
	`sortKey` text NOT NULL,
	`card` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `directory_service_org` ON `directory_service` (`org`);--> statement-breakpoint
CREATE VIRTUAL TABLE `directory_service_fts` USING fts5(name, org_name, description, places, types, facets, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
