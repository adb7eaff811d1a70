CREATE TABLE [attachments] (
	[client] varchar(32),
	[entry_id] varchar(64),
	[position] int,
	[name] nvarchar(200) NOT NULL,
	[media_type] nvarchar(200) NOT NULL,
	[size] int NOT NULL,
	[is_text] bit NOT NULL,
	[content] varbinary(max) NOT NULL,
	CONSTRAINT [attachments_pkey] PRIMARY KEY([client],[entry_id],[position])
);
--> statement-breakpoint
CREATE TABLE [client_files] (
	[client] varchar(32),
	[name] nvarchar(200),
	[text] nvarchar(max) NOT NULL,
	CONSTRAINT [client_files_pkey] PRIMARY KEY([client],[name])
);
--> statement-breakpoint
CREATE TABLE [clients] (
	[id] varchar(32),
	[config_text] nvarchar(max) NOT NULL,
	[created_at] varchar(32) NOT NULL,
	CONSTRAINT [clients_pkey] PRIMARY KEY([id])
);
--> statement-breakpoint
CREATE TABLE [config_backups] (
	[client] varchar(32),
	[id] varchar(48),
	[at] varchar(32) NOT NULL,
	[text] nvarchar(max) NOT NULL,
	CONSTRAINT [config_backups_pkey] PRIMARY KEY([client],[id])
);
--> statement-breakpoint
CREATE TABLE [leases] (
	[resource] nvarchar(300),
	[instance_id] nvarchar(100) NOT NULL,
	[token] varchar(64) NOT NULL,
	[expires_at] varchar(32) NOT NULL,
	CONSTRAINT [leases_pkey] PRIMARY KEY([resource])
);
--> statement-breakpoint
CREATE TABLE [log_entries] (
	[client] varchar(32),
	[log_id] varchar(64),
	[seq] int,
	[at] varchar(32) NOT NULL,
	[level] varchar(10) NOT NULL,
	[source] nvarchar(200) NOT NULL,
	[message] nvarchar(max) NOT NULL,
	CONSTRAINT [log_entries_pkey] PRIMARY KEY([client],[log_id],[seq])
);
--> statement-breakpoint
CREATE TABLE [logs] (
	[client] varchar(32),
	[id] varchar(64),
	[origin] varchar(10) NOT NULL,
	[at] varchar(32) NOT NULL,
	[title] nvarchar(400) NOT NULL,
	[definition] nvarchar(200),
	[level] varchar(10) NOT NULL,
	[entries_count] int NOT NULL,
	[finished_at] varchar(32),
	[counts] nvarchar(400),
	CONSTRAINT [logs_pkey] PRIMARY KEY([client],[id])
);
--> statement-breakpoint
CREATE TABLE [plugin_state] (
	[client] varchar(32),
	[driver] nvarchar(200),
	[key] nvarchar(400),
	[value] nvarchar(max) NOT NULL,
	CONSTRAINT [plugin_state_pkey] PRIMARY KEY([client],[driver],[key])
);
--> statement-breakpoint
CREATE TABLE [queue_entries] (
	[client] varchar(32),
	[id] varchar(64),
	[definition] nvarchar(200) NOT NULL,
	[external_id] nvarchar(400) NOT NULL,
	[source_system] nvarchar(200) NOT NULL,
	[pulled_at] varchar(32) NOT NULL,
	[puller] nvarchar(200) NOT NULL,
	[payload] nvarchar(max) NOT NULL,
	[log_ids] nvarchar(max) NOT NULL,
	[seated_at] varchar(32) NOT NULL,
	[completed_at] varchar(32),
	[state] varchar(10) NOT NULL,
	[due_at] varchar(32),
	[instance_id] nvarchar(100),
	CONSTRAINT [queue_entries_pkey] PRIMARY KEY([client],[id])
);
--> statement-breakpoint
CREATE TABLE [step_statuses] (
	[client] varchar(32),
	[entry_id] varchar(64),
	[position] int,
	[kind] varchar(10) NOT NULL,
	[name] nvarchar(200) NOT NULL,
	[state] varchar(10) NOT NULL,
	[attempts] int NOT NULL,
	[last_error] nvarchar(max),
	[next_attempt_at] varchar(32),
	[updated_at] varchar(32) NOT NULL,
	CONSTRAINT [step_statuses_pkey] PRIMARY KEY([client],[entry_id],[position])
);
--> statement-breakpoint
CREATE UNIQUE INDEX [attachments_name] ON [attachments] ([client],[entry_id],[name]);--> statement-breakpoint
CREATE INDEX [logs_at] ON [logs] ([client],[at],[id]);--> statement-breakpoint
CREATE UNIQUE INDEX [queue_entries_dedupe] ON [queue_entries] ([client],[source_system],[external_id]);--> statement-breakpoint
CREATE INDEX [queue_entries_seated] ON [queue_entries] ([client],[seated_at],[id]);--> statement-breakpoint
CREATE INDEX [queue_entries_definition_state] ON [queue_entries] ([client],[definition],[state],[completed_at]);--> statement-breakpoint
CREATE INDEX [queue_entries_due] ON [queue_entries] ([client],[definition],[due_at]);