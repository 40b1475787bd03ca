// An owner's shared plan as the seats rules read it: the tier that gives access now (the database's
// subscription_gives_access, the one definition), its seats, and how many are in use.
import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import type { Tier } from "../../../db/schema.ts";
import { entitlementsOf } from "../entitlements/features.ts";

/** A tier's seats, the owner's included; `null` in the features means unlimited. */
export function seatsOf(tier: Pick<Tier, "features">): number {
  const seats = entitlementsOf(tier.features as unknown as Record<string, unknown>).seats;
  if (seats === null) return Number.POSITIVE_INFINITY;
  return typeof seats === "number" ? Math.max(1, seats) : 1;
}

export interface OwnerPlan {
  ownerId: string;
  email: string;
  displayName: string;
  /** The tier that gives access, or null when the owner's subscription gives none. */
  tier: Tier | null;
  /** Seats the plan holds: the fewer of the current tier and a scheduled downgrade's, 1 without access. */
  seats: number;
  members: number;
  pendingInvitations: number;
  /** The owner, the members and the pending invitations. */
  used: number;
}

/**
 * Locks the users' rows (the lock every subscription change takes first) in id order, so two
 * batches locking the same pair cannot deadlock. Seat changes of one owner serialize on it, and so
 * do seat changes against the owner's own upgrades, downgrades and the cron: the fingerprint check
 * after it sees committed state, which is what makes the cap hold under concurrency.
 */
export function lockUsersStatement(userIds: string[]): SQL {
  return sql`SELECT id FROM users WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb)::uuid)
        ORDER BY id FOR UPDATE`;
}

/**
 * What holds an owner's seats besides the owner: members, and invitations still open at `now`. The
 * one definition, read by the seat rules and by a lifecycle change deciding whether a tier fits.
 */
export function seatsInUse(ownerId: SQL, now: Date): { members: SQL<number>; pending: SQL<number> } {
  return {
    members: sql<number>`(SELECT count(*)::int FROM seat_memberships m WHERE m.owner_id = ${ownerId})`,
    pending: sql<number>`(SELECT count(*)::int FROM seat_invitations i
                 WHERE i.owner_id = ${ownerId} AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                   AND i.expires_at > ${now.toISOString()}::timestamptz)`,
  };
}

/** The columns planFromRow reads, for the user `owner` (a column or alias), with no name clashes of its own. */
export interface PlanRow {
  email: string;
  display_name: string;
  tier: Tier | null;
  scheduled_features: Tier["features"] | null;
  members: number;
  pending: number;
}

/** What readPlan selects, for statements that read the plan together with other things. */
export function planColumns(owner: SQL, now: Date): SQL {
  const seats = seatsInUse(owner, now);
  return sql`(SELECT to_jsonb(t) FROM user_subscriptions s JOIN user_tiers t ON t.slug = s.tier_slug
                 WHERE s.user_id = ${owner} AND subscription_gives_access(s)) AS tier,
               (SELECT t.features FROM user_subscriptions s JOIN user_tiers t ON t.slug = s.scheduled_tier_slug
                 WHERE s.user_id = ${owner} AND subscription_gives_access(s)) AS scheduled_features,
               ${seats.members} AS members, ${seats.pending} AS pending`;
}

/** The plan of `ownerId` at `now`; null when there is no such user. fit.ts reads it under the owner's lock. */
export async function readPlan(db: Database, ownerId: string, now: Date): Promise<OwnerPlan | null> {
  const [row] = await queryRows<PlanRow>(
    db,
    sql`SELECT u.email, u.display_name, ${planColumns(sql`u.id`, now)} FROM users u WHERE u.id = ${ownerId}::uuid`,
  );
  return row ? planFromRow(ownerId, row) : null;
}

export function planFromRow(ownerId: string, row: PlanRow): OwnerPlan {
  const tier = row.tier ? tierFromJson(row.tier as unknown as Record<string, unknown>) : null;
  const seats = !tier
    ? 1
    : Math.min(
        seatsOf(tier),
        row.scheduled_features ? seatsOf({ features: row.scheduled_features }) : Number.POSITIVE_INFINITY,
      );
  return {
    ownerId,
    email: row.email,
    displayName: row.display_name,
    tier,
    seats,
    members: Number(row.members),
    pendingInvitations: Number(row.pending),
    used: 1 + Number(row.members) + Number(row.pending),
  };
}

/** A user_tiers row as to_jsonb spells it (snake_case keys, ISO times) back as the Drizzle row. */
export function tierFromJson(json: Record<string, unknown>): Tier {
  return {
    slug: json.slug as string,
    name: json.name as string,
    description: json.description as string,
    tierLevel: json.tier_level as number,
    monthlyPriceCents: json.monthly_price_cents as number,
    annualPriceCents: json.annual_price_cents as number,
    isActive: json.is_active as boolean,
    features: json.features as Tier["features"],
    trialDays: json.trial_days as number,
    priceLookupKeys: json.price_lookup_keys as Tier["priceLookupKeys"],
    createdAt: new Date(json.created_at as string),
    updatedAt: new Date(json.updated_at as string),
  };
}

export const seatsLeft = (plan: OwnerPlan) => Math.max(0, plan.seats - plan.used);
