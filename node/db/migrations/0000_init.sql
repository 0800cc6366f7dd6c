CREATE TABLE `alert` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`peer` text,
	`messageId` text,
	`code` text
);
--> statement-breakpoint
CREATE TABLE `inbox_item` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sender` text NOT NULL,
	`id` text NOT NULL,
	`ctSha256` text NOT NULL,
	`envelope` blob NOT NULL,
	`receivedAt` integer NOT NULL,
	`receipt` text NOT NULL,
	`state` text NOT NULL,
	`rejectCode` text,
	`processedAt` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_sender_id` ON `inbox_item` (`sender`,`id`);--> statement-breakpoint
CREATE INDEX `inbox_state` ON `inbox_item` (`state`,`seq`);--> statement-breakpoint
CREATE TABLE `message` (
	`sender` text NOT NULL,
	`id` text NOT NULL,
	`thid` text NOT NULL,
	`pthid` text,
	`typ` text NOT NULL,
	`created` integer NOT NULL,
	`inner` blob NOT NULL,
	`signature` blob NOT NULL,
	`senderKid` text NOT NULL,
	`body` text NOT NULL,
	`receivedAt` integer NOT NULL,
	PRIMARY KEY(`sender`, `id`)
);
--> statement-breakpoint
CREATE INDEX `message_thread` ON `message` (`thid`,`created`);--> statement-breakpoint
CREATE TABLE `seen_nonce` (
	`key` text PRIMARY KEY NOT NULL,
	`expiresAt` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `own_key` (
	`kid` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`secret` blob,
	`publicKey` blob NOT NULL,
	`notBefore` integer NOT NULL,
	`notAfter` integer NOT NULL,
	`certificate` text NOT NULL,
	`createdAt` integer NOT NULL,
	`destroyedAt` integer
);
--> statement-breakpoint
CREATE TABLE `outbox_item` (
	`id` text PRIMARY KEY NOT NULL,
	`to` text NOT NULL,
	`thid` text NOT NULL,
	`typ` text NOT NULL,
	`envelope` blob NOT NULL,
	`ctSha256` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`nextAttemptAt` integer NOT NULL,
	`leaseUntil` integer,
	`lastAttemptAt` integer,
	`lastStatus` integer,
	`lastError` text,
	`createdAt` integer NOT NULL,
	`expiresAt` integer NOT NULL,
	`deliveredAt` integer,
	`receipt` text,
	`acknowledgedAt` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox_item` (`state`,`nextAttemptAt`);--> statement-breakpoint
CREATE INDEX `outbox_thread` ON `outbox_item` (`to`,`thid`,`id`);--> statement-breakpoint
CREATE TABLE `peer` (
	`node` text PRIMARY KEY NOT NULL,
	`org` text NOT NULL,
	`url` text NOT NULL,
	`maxBytes` integer NOT NULL,
	`lastSeenAt` integer,
	`updatedAt` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `peer_key` (
	`node` text NOT NULL,
	`kid` text NOT NULL,
	`publicKey` blob NOT NULL,
	`notBefore` integer NOT NULL,
	`notAfter` integer NOT NULL,
	`compromisedSince` integer,
	`revokedAt` integer,
	PRIMARY KEY(`node`, `kid`)
);
--> statement-breakpoint
CREATE TABLE `peer_prekey` (
	`node` text NOT NULL,
	`kid` text NOT NULL,
	`certificate` text NOT NULL,
	`notBefore` integer NOT NULL,
	`notAfter` integer NOT NULL,
	PRIMARY KEY(`node`, `kid`)
);
