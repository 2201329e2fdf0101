CREATE TABLE "former_members" (
	"conversation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"joined_seq" integer NOT NULL,
	"left_seq" integer NOT NULL,
	"reason" text NOT NULL,
	"left_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "former_members_pkey" PRIMARY KEY("conversation_id","user_id"),
	CONSTRAINT "former_members_reason_check" CHECK ("former_members"."reason" in ('left', 'removed')),
	CONSTRAINT "former_members_seq_check" CHECK ("former_members"."left_seq" >= "former_members"."joined_seq")
);
--> statement-breakpoint
ALTER TABLE "former_members" ADD CONSTRAINT "former_members_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "former_members" ADD CONSTRAINT "former_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "former_members_user_id_idx" ON "former_members" USING btree ("user_id");