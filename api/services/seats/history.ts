import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../db/client/types.ts";
import type { HistoryAction } from "../../../db/schema.ts";

export type SeatAction = Extract<HistoryAction, "seat_invited" | "seat_joined" | "seat_left" | "seat_removed">;

/** One history row about a seat, for the owner or for the member. */
export interface SeatRecord {
  userId: string;
  action: SeatAction;
  /** The shared plan's tier. */
  seatTierSlug: string | null;
  changedByUserId: string | null;
  isAdminAction?: boolean;
  reason: string;
}

/**
 * Writes the rows on each user's current subscription, in one statement. The tiers say what the
 * seat changed for that user: joining goes from their own tier to the seat's, leaving or losing a
 * seat from the seat's back to their own.
 */
export async function recordSeatHistory(tx: Database, records: SeatRecord[], now: Date): Promise<void> {
  if (!records.length) return;
  await tx.execute(seatHistoryStatement(records, now));
}

/** recordSeatHistory as a statement to send later, in a batch. */
export function seatHistoryStatement(records: SeatRecord[], now: Date): SQL {
  const rows = records.map((r) => ({
    user_id: r.userId,
    action: r.action,
    seat_tier: r.seatTierSlug,
    changed_by: r.changedByUserId,
    is_admin: r.isAdminAction ?? false,
    reason: r.reason,
  }));
  return sql`INSERT INTO subscription_history (user_id, subscription_id, action, from_tier_slug, to_tier_slug,
                                          changed_by_user_id, is_admin_action, reason, created_at)
        SELECT u.id, u.subscription_id, r.action,
               CASE WHEN r.action = 'seat_joined' THEN u.current_tier_slug ELSE r.seat_tier END,
               CASE WHEN r.action = 'seat_joined' THEN r.seat_tier ELSE u.current_tier_slug END,
               r.changed_by, r.is_admin, r.reason, ${now.toISOString()}::timestamptz
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             AS r(user_id uuid, action text, seat_tier text, changed_by uuid, is_admin boolean, reason text)
        JOIN users u ON u.id = r.user_id`;
}
