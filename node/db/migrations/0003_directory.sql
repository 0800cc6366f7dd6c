CREATE TABLE `directory_entry` (
	`hash` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`seq` integer NOT NULL,
	`bytes` blob NOT NULL
);
--> statement-breakpoint
CREATE INDEX `directory_entry_org` ON `directory_entry` (`org`);--> statement-breakpoint
CREATE TABLE `directory_org` (
	`org` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL,
	`orgKid` text NOT NULL,
	`orgPublicKey` text NOT NULL,
	`listedBy` text,
	`nodes` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `directory_submission` (
	`org` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL,
	`bytes` blob NOT NULL,
	`createdAt` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `directory_sync` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`peer` text,
	`outcome` text NOT NULL,
	`version` integer,
	`bytes` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `directory_version` (
	`version` integer PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`manifest` blob,
	`issued` integer NOT NULL,
	`expires` integer NOT NULL,
	`acceptedAt` integer NOT NULL,
	`source` text NOT NULL
);
