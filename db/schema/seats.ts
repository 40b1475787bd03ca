import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./plans.ts";

// Seats (migration 0008): an owner's shared plan, the invitations they sent (only a hash of each
// single-use token is kept) and the members who joined. A user holds at most one seat.
export const seatInvitations = pgTable(
  "seat_invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique("seat_invitations_token_hash_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedByUserId: uuid("accepted_by_user_id").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    check("seat_invitations_settled_check", sql`${t.acceptedAt} IS NULL OR ${t.revokedAt} IS NULL`),
    check("seat_invitations_accepted_check", sql`${t.acceptedByUserId} IS NULL OR ${t.acceptedAt} IS NOT NULL`),
    index("seat_invitations_owner_idx").on(t.ownerId, t.createdAt),
  ],
);

export const seatMemberships = pgTable(
  "seat_memberships",
  {
    memberId: uuid("member_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    invitationId: uuid("invitation_id")
      .unique("seat_memberships_invitation_key")
      .references(() => seatInvitations.id, { onDelete: "set null" }),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    check("seat_memberships_not_self_check", sql`${t.memberId} <> ${t.ownerId}`),
    index("seat_memberships_owner_idx").on(t.ownerId, t.joinedAt),
  ],
);
