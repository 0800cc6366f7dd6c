CREATE TABLE `attachment` (
	`id` text PRIMARY KEY NOT NULL,
	`caseId` text NOT NULL,
	`mediaType` text NOT NULL,
	`size` integer NOT NULL,
	`name` text,
	`key` text NOT NULL,
	`manifest` text NOT NULL,
	`manifestSignature` text NOT NULL,
	`createdAt` integer NOT NULL,
	`origin` text NOT NULL,
	`state` text NOT NULL,
	`sourceNode` text,
	`referralId` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`nextAttemptAt` integer,
	`problem` text
);
--> statement-breakpoint
CREATE INDEX `attachment_case` ON `attachment` (`caseId`);--> statement-breakpoint
CREATE INDEX `attachment_state` ON `attachment` (`state`,`nextAttemptAt`);--> statement-breakpoint
CREATE TABLE `attachment_disclosure` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attachmentId` text NOT NULL,
	`caseId` text NOT NULL,
	`referralId` text NOT NULL,
	`org` text NOT NULL,
	`node` text NOT NULL,
	`messageId` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attachment_disclosure_attachment` ON `attachment_disclosure` (`attachmentId`,`node`);