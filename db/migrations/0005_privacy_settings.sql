ALTER TABLE "users" ADD COLUMN "presence_visibility" text DEFAULT 'contacts' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "is_sending_read_receipts" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_presence_visibility_check" CHECK ("users"."presence_visibility" in ('contacts', 'nobody'));