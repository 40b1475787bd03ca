-- Seats: the owner of a subscription whose tier has more than one seat shares it with the members
-- they invite. Invitations keep only a hash of their single-use token.
CREATE TABLE "seat_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by_user_id" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "seat_invitations_token_hash_key" UNIQUE("token_hash"),
	CONSTRAINT "seat_invitations_settled_check" CHECK ("seat_invitations"."accepted_at" IS NULL OR "seat_invitations"."revoked_at" IS NULL),
	CONSTRAINT "seat_invitations_accepted_check" CHECK ("seat_invitations"."accepted_by_user_id" IS NULL OR "seat_invitations"."accepted_at" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "seat_memberships" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"invitation_id" uuid,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "seat_memberships_invitation_key" UNIQUE("invitation_id"),
	CONSTRAINT "seat_memberships_not_self_check" CHECK ("seat_memberships"."member_id" <> "seat_memberships"."owner_id")
);
--> statement-breakpoint
ALTER TABLE "seat_invitations" ADD CONSTRAINT "seat_invitations_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_invitations" ADD CONSTRAINT "seat_invitations_accepted_by_user_id_users_id_fk" FOREIGN KEY ("accepted_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_memberships" ADD CONSTRAINT "seat_memberships_member_id_users_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_memberships" ADD CONSTRAINT "seat_memberships_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seat_memberships" ADD CONSTRAINT "seat_memberships_invitation_id_seat_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."seat_invitations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "seat_invitations_owner_idx" ON "seat_invitations" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "seat_memberships_owner_idx" ON "seat_memberships" USING btree ("owner_id","joined_at");--> statement-breakpoint
ALTER TABLE "subscription_history" DROP CONSTRAINT "subscription_history_action_check";--> statement-breakpoint
ALTER TABLE "subscription_history" ADD CONSTRAINT "subscription_history_action_check" CHECK ("subscription_history"."action" IN ('created', 'upgraded', 'downgrade_scheduled', 'downgrade_undone', 'downgraded', 'cancelled', 'resumed', 'expired', 'renewed', 'assigned', 'payment_failed', 'payment_recovered', 'seat_invited', 'seat_joined', 'seat_left', 'seat_removed'));
--> statement-breakpoint
-- Hand-written from here on. Whether a subscription row gives its tier right now: the one
-- definition that a seat, and anything else that asks, reads. A cancelled row keeps giving access
-- until ends_at, when the cron expires it (and removes its seats in the same transaction). A trial
-- gives access; a past_due row exists only during its grace period (user_subscriptions_grace_check),
-- and endExpiredGrace ends it, with its seats, when grace_until passes: the application's clock
-- decides that, not the database's.
CREATE FUNCTION subscription_gives_access(s user_subscriptions) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT s.status IN ('active', 'trialing', 'cancelled') OR (s.status = 'past_due' AND s.grace_until IS NOT NULL)
$$;
--> statement-breakpoint
-- The tier a user's seat gives them: the owner's current tier while it gives access, else null.
CREATE FUNCTION seat_tier_slug(p_user_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT s.tier_slug
  FROM seat_memberships m JOIN user_subscriptions s ON s.user_id = m.owner_id
  WHERE m.member_id = p_user_id AND subscription_gives_access(s)
$$;
--> statement-breakpoint
-- The effective tier: the higher of the user's own and their seat's; null when the user is gone.
CREATE OR REPLACE FUNCTION get_user_tier(p_user_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce((
    SELECT t.slug FROM user_tiers t
    WHERE t.slug = seat_tier_slug(u.id)
       OR t.slug = (SELECT s.tier_slug FROM user_subscriptions s
                    WHERE s.user_id = u.id AND subscription_gives_access(s))
    ORDER BY t.tier_level DESC LIMIT 1
  ), 'member')
  FROM "users" u
  WHERE u."id" = p_user_id
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION user_has_tier_level(p_user_id uuid, p_level integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT t."tier_level" >= p_level FROM "user_tiers" t WHERE t."slug" = get_user_tier(p_user_id)), false)
$$;
