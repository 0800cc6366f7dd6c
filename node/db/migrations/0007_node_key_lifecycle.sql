ALTER TABLE `own_key` ADD `activatedAt` integer;--> statement-breakpoint
ALTER TABLE `own_key` ADD `retiredAt` integer;