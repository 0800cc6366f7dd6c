CREATE TABLE `case_key` (
	`caseId` text PRIMARY KEY NOT NULL,
	`wrapped` blob NOT NULL,
	`createdAt` integer NOT NULL
);
