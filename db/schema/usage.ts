import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./plans.ts";

// Usage counting (migration 0006): keys that let services count a user's usage, the counters per
// feature and window ('total', or the UTC day 'YYYY-MM-DD'), and the services' Idempotency-Keys.
export const serviceKeys = pgTable("service_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** SHA-256 of the whole key, hex; the key itself is shown once and never stored. */
  keyHash: text("key_hash").notNull().unique("service_keys_key_hash_key"),
  /** The first characters of the key, so an admin can tell keys apart. */
  keyPrefix: text("key_prefix").notNull(),
  scopes: text("scopes").array().notNull(),
  createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

export const usageCounters = pgTable(
  "usage_counters",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    feature: text("feature").notNull(),
    period: text("period").notNull(),
    used: bigint("used", { mode: "number" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.feature, t.period] }),
    check("usage_counters_used_check", sql`${t.used} >= 0`),
    check("usage_counters_period_check", sql`${t.period} = 'total' OR ${t.period} ~ '^\\d{4}-\\d{2}-\\d{2}$'`),
    index("usage_counters_period_idx").on(t.period),
  ],
);

export const serviceIdempotencyKeys = pgTable(
  "service_idempotency_keys",
  {
    serviceKeyId: uuid("service_key_id")
      .notNull()
      .references(() => serviceKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    statusCode: integer("status_code").notNull(),
    responseBody: jsonb("response_body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.serviceKeyId, t.key] }),
    index("service_idempotency_keys_created_idx").on(t.createdAt),
  ],
);
