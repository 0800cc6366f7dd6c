ALTER TABLE `message` ADD `ackPending` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `message_ack` ON `message` (`ackPending`,`sender`);