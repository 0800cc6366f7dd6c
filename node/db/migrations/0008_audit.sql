CREATE TABLE `audit_checkpoint` (
	`size` integer PRIMARY KEY NOT NULL,
	`root` text NOT NULL,
	`at` integer NOT NULL,
	`signed` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_entry` (
	`seq` integer PRIMARY KEY NOT NULL,
	`bytes` blob NOT NULL,
	`leafHash` blob NOT NULL,
	`caseId` text,
	`messageId` text
);
--> statement-breakpoint
CREATE INDEX `audit_entry_case` ON `audit_entry` (`caseId`);--> statement-breakpoint
CREATE INDEX `audit_entry_message` ON `audit_entry` (`messageId`);--> statement-breakpoint
CREATE TABLE `audit_frontier` (
	`one` integer PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`frontier` blob NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_witness` (
	`node` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`root` text NOT NULL,
	`signed` text NOT NULL,
	`checkedAt` integer NOT NULL,
	`verdict` text NOT NULL
);
