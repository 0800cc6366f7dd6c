CREATE TABLE `case_file` (
	`id` text PRIMARY KEY NOT NULL,
	`subjectRef` text NOT NULL,
	`state` text NOT NULL,
	`origin` text NOT NULL,
	`data` text,
	`consentId` text,
	`referralId` text,
	`createdAt` integer NOT NULL,
	`updatedAt` integer NOT NULL,
	`closedAt` integer,
	`purgedAt` integer,
	`purgeReason` text
);
--> statement-breakpoint
CREATE INDEX `case_state` ON `case_file` (`state`,`closedAt`);--> statement-breakpoint
CREATE TABLE `consent` (
	`id` text NOT NULL,
	`version` integer NOT NULL,
	`caseId` text,
	`signed` text NOT NULL,
	`hash` text NOT NULL,
	`controller` text NOT NULL,
	`status` text NOT NULL,
	`expires` integer NOT NULL,
	`recordedAt` integer NOT NULL,
	`local` integer NOT NULL,
	PRIMARY KEY(`id`, `version`)
);
--> statement-breakpoint
CREATE INDEX `consent_case` ON `consent` (`caseId`);--> statement-breakpoint
CREATE INDEX `consent_hash` ON `consent` (`hash`);--> statement-breakpoint
CREATE TABLE `court_trip` (
	`id` text PRIMARY KEY NOT NULL,
	`referralId` text NOT NULL,
	`caseId` text,
	`consentId` text NOT NULL,
	`hearing` text NOT NULL,
	`mode` text NOT NULL,
	`revision` integer NOT NULL,
	`updatedAt` integer NOT NULL,
	`updatedBy` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `court_trip_task` (
	`tripId` text NOT NULL,
	`taskId` text NOT NULL,
	`kind` text NOT NULL,
	`owner` text NOT NULL,
	`due` text NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`updatedAt` integer NOT NULL,
	`updatedBy` text NOT NULL,
	PRIMARY KEY(`tripId`, `taskId`)
);
--> statement-breakpoint
CREATE TABLE `disclosure` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consentId` text NOT NULL,
	`consentVersion` integer NOT NULL,
	`consentHash` text NOT NULL,
	`caseId` text NOT NULL,
	`referralId` text NOT NULL,
	`org` text NOT NULL,
	`node` text NOT NULL,
	`messageId` text NOT NULL,
	`purpose` text NOT NULL,
	`fields` text NOT NULL,
	`attachments` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `disclosure_consent` ON `disclosure` (`consentId`);--> statement-breakpoint
CREATE INDEX `disclosure_case` ON `disclosure` (`caseId`);--> statement-breakpoint
CREATE TABLE `legal_hold` (
	`caseId` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`court` text,
	`until` text,
	`setAt` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quarantine` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`messageId` text NOT NULL,
	`sender` text NOT NULL,
	`typ` text NOT NULL,
	`code` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `referral` (
	`id` text PRIMARY KEY NOT NULL,
	`direction` text NOT NULL,
	`caseId` text,
	`peerNode` text NOT NULL,
	`peerOrg` text NOT NULL,
	`state` text NOT NULL,
	`purpose` text NOT NULL,
	`offer` text NOT NULL,
	`theirContact` text,
	`ourContact` text NOT NULL,
	`consentId` text,
	`chain` text NOT NULL,
	`parentId` text,
	`reason` text,
	`outcome` text,
	`createdAt` integer NOT NULL,
	`updatedAt` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `referral_case` ON `referral` (`caseId`);--> statement-breakpoint
CREATE INDEX `referral_state` ON `referral` (`state`);--> statement-breakpoint
CREATE TABLE `referral_event` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`referralId` text NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`org` text NOT NULL,
	`messageId` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `referral_event_referral` ON `referral_event` (`referralId`);--> statement-breakpoint
CREATE TABLE `withdrawal_notice` (
	`consentId` text NOT NULL,
	`org` text NOT NULL,
	`node` text NOT NULL,
	`messageId` text,
	`sentAt` integer NOT NULL,
	`receiptAt` integer,
	`receipt` text,
	`escalatedAt` integer,
	PRIMARY KEY(`consentId`, `org`)
);
