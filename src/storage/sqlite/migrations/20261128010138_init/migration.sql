CREATE TABLE `attachments` (
	`client` text NOT NULL,
	`entry_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`media_type` text NOT NULL,
	`size` integer NOT NULL,
	`is_text` integer NOT NULL,
	`content` blob NOT NULL,
	CONSTRAINT `attachments_pk` PRIMARY KEY(`client`, `entry_id`, `position`),
	CONSTRAINT `fk_attachments_client_entry_id_queue_entries_client_id_fk` FOREIGN KEY (`client`,`entry_id`) REFERENCES `queue_entries`(`client`,`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `client_files` (
	`client` text NOT NULL,
	`name` text NOT NULL,
	`text` text NOT NULL,
	CONSTRAINT `client_files_pk` PRIMARY KEY(`client`, `name`),
	CONSTRAINT `fk_client_files_client_clients_id_fk` FOREIGN KEY (`client`) REFERENCES `clients`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `clients` (
	`id` text PRIMARY KEY,
	`config_text` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `config_backups` (
	`client` text NOT NULL,
	`id` text NOT NULL,
	`at` text NOT NULL,
	`text` text NOT NULL,
	CONSTRAINT `config_backups_pk` PRIMARY KEY(`client`, `id`),
	CONSTRAINT `fk_config_backups_client_clients_id_fk` FOREIGN KEY (`client`) REFERENCES `clients`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `entry_counts` (
	`client` text NOT NULL,
	`definition` text NOT NULL,
	`state` text NOT NULL,
	`n` integer NOT NULL,
	CONSTRAINT `entry_counts_pk` PRIMARY KEY(`client`, `definition`, `state`),
	CONSTRAINT `fk_entry_counts_client_clients_id_fk` FOREIGN KEY (`client`) REFERENCES `clients`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `leases` (
	`resource` text PRIMARY KEY,
	`instance_id` text NOT NULL,
	`token` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `log_entries` (
	`client` text NOT NULL,
	`log_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` text NOT NULL,
	`level` text NOT NULL,
	`source` text NOT NULL,
	`message` text NOT NULL,
	CONSTRAINT `log_entries_pk` PRIMARY KEY(`client`, `log_id`, `seq`),
	CONSTRAINT `fk_log_entries_client_log_id_logs_client_id_fk` FOREIGN KEY (`client`,`log_id`) REFERENCES `logs`(`client`,`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `logs` (
	`client` text NOT NULL,
	`id` text NOT NULL,
	`origin` text NOT NULL,
	`at` text NOT NULL,
	`title` text NOT NULL,
	`definition` text,
	`level` text NOT NULL,
	`entries_count` integer NOT NULL,
	`finished_at` text,
	`counts` text,
	CONSTRAINT `logs_pk` PRIMARY KEY(`client`, `id`),
	CONSTRAINT `fk_logs_client_clients_id_fk` FOREIGN KEY (`client`) REFERENCES `clients`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `plugin_state` (
	`client` text NOT NULL,
	`driver` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	CONSTRAINT `plugin_state_pk` PRIMARY KEY(`client`, `driver`, `key`),
	CONSTRAINT `fk_plugin_state_client_clients_id_fk` FOREIGN KEY (`client`) REFERENCES `clients`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE TABLE `queue_entries` (
	`client` text NOT NULL,
	`id` text NOT NULL,
	`definition` text NOT NULL,
	`external_id` text NOT NULL,
	`source_system` text NOT NULL,
	`pulled_at` text NOT NULL,
	`puller` text NOT NULL,
	`payload` text NOT NULL,
	`log_ids` text NOT NULL,
	`steps` text NOT NULL,
	`seated_at` text NOT NULL,
	`completed_at` text,
	`state` text NOT NULL,
	`due_at` text,
	`search` text NOT NULL,
	`instance_id` text,
	CONSTRAINT `queue_entries_pk` PRIMARY KEY(`client`, `id`),
	CONSTRAINT `fk_queue_entries_client_clients_id_fk` FOREIGN KEY (`client`) REFERENCES `clients`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_name` ON `attachments` (`client`,`entry_id`,`name`);--> statement-breakpoint
CREATE INDEX `config_backups_at` ON `config_backups` (`client`,`at`);--> statement-breakpoint
CREATE INDEX `logs_at` ON `logs` (`client`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `logs_origin` ON `logs` (`client`,`origin`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `logs_definition` ON `logs` (`client`,`definition`,`at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `queue_entries_dedupe` ON `queue_entries` (`client`,`source_system`,`external_id`);--> statement-breakpoint
CREATE INDEX `queue_entries_seated` ON `queue_entries` (`client`,`seated_at`,`id`);--> statement-breakpoint
CREATE INDEX `queue_entries_state` ON `queue_entries` (`client`,`state`,`seated_at`,`id`);--> statement-breakpoint
CREATE INDEX `queue_entries_definition` ON `queue_entries` (`client`,`definition`,`state`,`seated_at`,`id`);--> statement-breakpoint
CREATE INDEX `queue_entries_due` ON `queue_entries` (`client`,`definition`,`seated_at`,`id`) WHERE due_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `queue_entries_completed` ON `queue_entries` (`client`,`definition`,`completed_at`) WHERE completed_at IS NOT NULL;