ALTER TABLE "users" ADD COLUMN "display_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "about" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_findable_by_name" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "users_username_pattern_idx" ON "users" USING btree ("username" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "users_display_name_search_idx" ON "users" USING gin (to_tsvector('simple'::regconfig, "display_name"));