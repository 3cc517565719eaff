CREATE TABLE "recur_link_conflicts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"kept_customer_id" text,
	"refused_customer_id" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "recur_link_conflicts_user_id_idx" ON "recur_link_conflicts" USING btree ("user_id");