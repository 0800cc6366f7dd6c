CREATE TABLE `access_event` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`accountId` text,
	`caseId` text,
	`subjectId` text,
	`code` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `account` (
	`id` text PRIMARY KEY NOT NULL,
	`loginName` text NOT NULL,
	`displayName` text NOT NULL,
	`role` text NOT NULL,
	`team` text,
	`disabled` integer DEFAULT false NOT NULL,
	`password` text NOT NULL,
	`createdAt` integer NOT NULL,
	`updatedAt` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_loginName_unique` ON `account` (`loginName`);--> statement-breakpoint
CREATE TABLE `case_assignment` (
	`caseId` text PRIMARY KEY NOT NULL,
	`accountId` text,
	`team` text,
	`assignedBy` text,
	`assignedAt` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `case_assignment_account` ON `case_assignment` (`accountId`);--> statement-breakpoint
CREATE INDEX `case_assignment_team` ON `case_assignment` (`team`);--> statement-breakpoint
CREATE TABLE `login_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`windowStart` integer NOT NULL,
	`lockedUntil` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `session` (
	`tokenHash` text PRIMARY KEY NOT NULL,
	`accountId` text NOT NULL,
	`createdAt` integer NOT NULL,
	`lastUsedAt` integer NOT NULL,
	`expiresAt` integer NOT NULL,
	`revokedAt` integer,
	FOREIGN KEY (`accountId`) REFERENCES `account`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `session_account` ON `session` (`accountId`);