CREATE TABLE "portal_session_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"recur_customer_id" text,
	"portal_session_id" text,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "portal_session_audit_user_id_created_at_idx" ON "portal_session_audit" USING btree ("user_id","created_at");