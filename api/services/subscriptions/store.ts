import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Database, queryRows } from "../../../db/client/types.ts";
import {
  type BillingCycle,
  CURRENT_STATUSES,
  type HistoryAction,
  type PaymentProviderName,
  type Subscription,
  type SubscriptionStatus,
  type Tier,
  userSubscriptions,
  users,
  userTiers,
} from "../../../db/schema.ts";
import { callerGone } from "../service-error.ts";
import { SubscriptionError } from "./errors.ts";
import { periodContaining } from "./period.ts";
import { prepared } from "./prepared.ts";

export { CURRENT_STATUSES };

export type SubscriptionWithTier = Subscription & { tier: Tier };

const currentQuery = (db: Database, name: string) =>
  db
    .select({ subscription: userSubscriptions, tier: userTiers })
    .from(userSubscriptions)
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .where(
      and(
        eq(userSubscriptions.userId, sql.placeholder("userId")),
        inArray(userSubscriptions.status, [...CURRENT_STATUSES]),
      ),
    )
    .prepare(name);

export async function findCurrent(db: Database, userId: string): Promise<SubscriptionWithTier | null> {
  const [row] = await prepared(db, "find_current_subscription", currentQuery).execute({ userId });
  return row ? { ...row.subscription, tier: row.tier } : null;
}

export async function findActiveTier(db: Database, slug: string): Promise<Tier> {
  const [tier] = await db.select().from(userTiers).where(eq(userTiers.slug, slug));
  if (!tier) throw new SubscriptionError("tier_not_found", `There is no tier "${slug}".`);
  if (!tier.isActive) throw new SubscriptionError("tier_inactive", `The ${tier.name} tier is not offered any more.`);
  return tier;
}

/**
 * What makes a tier paid (the one definition): it has a price. `isPaidTierSql` is the same rule for
 * queries that aggregate over tiers; `alias` is the user_tiers alias of that query.
 */
export const isFree = (tier: Tier) => tier.monthlyPriceCents === 0 && tier.annualPriceCents === 0;
export const isPaidTierSql = (alias: string) =>
  sql.raw(`(${alias}.monthly_price_cents > 0 OR ${alias}.annual_price_cents > 0)`);

/**
 * Runs `change` in one transaction holding the user's row lock. Every change to a user's
 * subscription (and the cron, with SKIP LOCKED) takes this lock first, so concurrent calls for one
 * user serialize and each reads the current row only after the previous change committed. The lock
 * and the read stay two statements: one statement's snapshot predates its own lock wait, so it
 * would read the row as it was before the change it waited for. `missing` is the refusal when the
 * user is gone: by default the caller changing their own plan.
 */
export function withLockedUser<T extends object>(
  db: Database,
  userId: string,
  change: (tx: Database, current: SubscriptionWithTier) => Promise<T>,
  missing: () => Error = callerGone,
): Promise<T & { account: LockedAccount }> {
  return lockAndRead(db, userId, null, missing, (tx, current) => change(tx, current));
}

/**
 * withLockedUser for a change to the active tier `targetSlug`, which is read with the current row.
 * `missing` is the refusal when the user is gone: by default the caller changing their own plan.
 */
export function withLockedUserAndTier<T extends object>(
  db: Database,
  userId: string,
  targetSlug: string,
  change: (tx: Database, current: SubscriptionWithTier, target: Tier) => Promise<T>,
  missing: () => Error = callerGone,
): Promise<T & { account: LockedAccount }> {
  return lockAndRead(db, userId, targetSlug, missing, (tx, current, target) => {
    if (!target) throw new SubscriptionError("tier_not_found", `There is no tier "${targetSlug}".`);
    if (!target.isActive)
      throw new SubscriptionError("tier_inactive", `The ${target.name} tier is not offered any more.`);
    return change(tx, current, target);
  });
}

const targetTier = alias(userTiers, "target_tier");

/**
 * The locked user as the change found it. The lock statement reads it anyway, so callers (a fresh
 * token after the change) need not read the user again.
 */
export interface LockedAccount {
  userId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  /** The tier a seat on someone else's plan gives the user (null without one): tokens carry the higher. */
  seatTier: { slug: string; tierLevel: number } | null;
}

function lockAndRead<T extends object>(
  db: Database,
  userId: string,
  targetSlug: string | null,
  missing: () => Error,
  change: (tx: Database, current: SubscriptionWithTier, target: Tier | null) => Promise<T>,
): Promise<T & { account: LockedAccount }> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({
        userId: users.id,
        email: users.email,
        displayName: users.displayName,
        isAdmin: users.isAdmin,
        seatTierSlug: sql<string | null>`seat_tier_slug(${users.id})`,
        seatTierLevel: sql<number | null>`(SELECT tier_level FROM user_tiers WHERE slug = seat_tier_slug(${users.id}))`,
      })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!locked) throw missing();
    const { seatTierSlug, seatTierLevel, ...rest } = locked;
    const seatTier = seatTierSlug && seatTierLevel !== null ? { slug: seatTierSlug, tierLevel: seatTierLevel } : null;
    const account: LockedAccount = { ...rest, seatTier };
    const [row] = await tx
      .select({ subscription: userSubscriptions, tier: userTiers, target: targetTier })
      .from(userSubscriptions)
      .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
      .leftJoin(targetTier, eq(targetTier.slug, targetSlug ?? ""))
      .where(and(eq(userSubscriptions.userId, userId), inArray(userSubscriptions.status, [...CURRENT_STATUSES])));
    if (!row) throw new Error(`user ${userId} has no current subscription`);
    return { ...(await change(tx, { ...row.subscription, tier: row.tier }, row.target)), account };
  });
}

/** The history row of a change; the subscription, the user and the time come from the change itself. */
export interface ChangeRecord {
  action: HistoryAction;
  /**
   * The provider subscription the change is about, when it is not the row's own (a Stripe
   * subscription that ended and left the user on member); otherwise the row's provider is recorded.
   */
  provider?: ProviderLink | null;
  fromTierSlug: string | null;
  toTierSlug: string | null;
  changedByUserId?: string | null;
  isAdminAction?: boolean;
  reason?: string | null;
}

/** The payment provider's subscription that bills a row. */
export interface ProviderLink {
  provider: PaymentProviderName;
  subscriptionId: string;
}

export interface NewPeriod {
  userId: string;
  tier: Tier;
  billingCycle: BillingCycle | null;
  /** When this row's tier starts; also the billing anchor of a paid row unless `anchor` is given. */
  startsAt: Date;
  anchor?: Date;
  now: Date;
  /** Rows billed by a payment provider take status and period from it; the rest start active. */
  status?: Extract<SubscriptionStatus, "active" | "trialing" | "past_due" | "cancelled">;
  periodEnd?: Date;
  cancelledAt?: Date | null;
  endsAt?: Date | null;
  graceUntil?: Date | null;
  provider?: ProviderLink | null;
}

/**
 * Starts a new current row, points the user at it and writes its history row, ending `replacing`
 * first when given: one statement, so a change costs one round trip here instead of four. The
 * insert reads from the UPDATE's CTE, which makes PostgreSQL end the old row before the new one
 * meets the one-current-row unique index; the id is made here so the row need not be read back.
 */
export async function startSubscription(
  db: Database,
  next: NewPeriod,
  history: ChangeRecord,
  replacing?: Subscription,
): Promise<SubscriptionWithTier> {
  const paid = next.billingCycle !== null;
  const anchor = paid ? (next.anchor ?? next.startsAt) : null;
  const row: Subscription = {
    id: crypto.randomUUID(),
    userId: next.userId,
    tierSlug: next.tier.slug,
    billingCycle: next.billingCycle,
    status: next.status ?? "active",
    startedAt: next.startsAt,
    currentPeriodStart: next.startsAt,
    currentPeriodEnd:
      next.periodEnd ??
      (anchor && next.billingCycle ? periodContaining(anchor, next.billingCycle, next.startsAt).end : null),
    billingAnchorAt: anchor,
    cancelledAt: next.cancelledAt ?? null,
    endsAt: next.endsAt ?? null,
    scheduledTierSlug: null,
    paymentProvider: next.provider?.provider ?? null,
    paymentProviderId: next.provider?.subscriptionId ?? null,
    graceUntil: next.graceUntil ?? null,
    createdAt: next.now,
    updatedAt: next.now,
  };
  const now = next.now.toISOString();
  const time = (value: Date | null) => (value ? value.toISOString() : null);
  const [started] = await queryRows<{ id: string }>(
    db,
    sql`WITH ended AS (
          UPDATE user_subscriptions SET status = 'expired', ends_at = ${now}::timestamptz, scheduled_tier_slug = NULL,
                 updated_at = ${now}::timestamptz
          WHERE id = ${replacing?.id ?? null}::uuid
          RETURNING id
        ), started AS (
          INSERT INTO user_subscriptions (id, user_id, tier_slug, billing_cycle, status, started_at, current_period_start,
                                          current_period_end, billing_anchor_at, cancelled_at, ends_at, grace_until,
                                          payment_provider, payment_provider_id, created_at, updated_at)
          SELECT ${row.id}::uuid, ${row.userId}::uuid, ${row.tierSlug}, ${row.billingCycle}::text, ${row.status},
                 ${time(row.startedAt)}::timestamptz, ${time(row.currentPeriodStart)}::timestamptz,
                 ${time(row.currentPeriodEnd)}::timestamptz, ${time(row.billingAnchorAt)}::timestamptz,
                 ${time(row.cancelledAt)}::timestamptz, ${time(row.endsAt)}::timestamptz, ${time(row.graceUntil)}::timestamptz,
                 ${row.paymentProvider}::text, ${row.paymentProviderId}::text, ${now}::timestamptz, ${now}::timestamptz
          FROM (SELECT count(*) FROM ended) AS after_end
          RETURNING id, user_id, payment_provider, payment_provider_id
        ), linked AS (
          UPDATE users u SET subscription_id = started.id, current_tier_slug = ${row.tierSlug}, updated_at = ${now}::timestamptz
          FROM started WHERE u.id = started.user_id
        )
        ${historyInsert(history, "started", now)}
        RETURNING subscription_id AS id`,
  );
  if (!started) throw new Error("insert returned no row");
  return { ...row, tier: next.tier };
}

/**
 * INSERT of the history row for the subscription row that the CTE `source` returned (id, user_id,
 * payment_provider, payment_provider_id).
 */
function historyInsert(history: ChangeRecord, source: "started" | "changed", now: string) {
  const provider = history.provider;
  return sql`INSERT INTO subscription_history (user_id, subscription_id, action, from_tier_slug, to_tier_slug,
                                               changed_by_user_id, is_admin_action, reason, payment_provider,
                                               provider_subscription_id, created_at)
             SELECT user_id, id, ${history.action}, ${history.fromTierSlug}::text, ${history.toTierSlug}::text,
                    ${history.changedByUserId ?? null}::uuid, ${history.isAdminAction ?? false}, ${history.reason ?? null}::text,
                    ${provider ? sql`${provider.provider}::text` : sql.raw("payment_provider")},
                    ${provider ? sql`${provider.subscriptionId}::text` : sql.raw("payment_provider_id")},
                    ${now}::timestamptz
             FROM ${sql.raw(source)}`;
}

/** Changes the current row in place and writes the history row for it, in one statement. */
export async function updateCurrent(
  db: Database,
  current: SubscriptionWithTier,
  changes: Partial<
    Pick<
      Subscription,
      | "status"
      | "cancelledAt"
      | "endsAt"
      | "scheduledTierSlug"
      | "currentPeriodStart"
      | "currentPeriodEnd"
      | "billingAnchorAt"
      | "graceUntil"
      | "paymentProvider"
      | "paymentProviderId"
    >
  >,
  now: Date,
  history: ChangeRecord,
): Promise<SubscriptionWithTier> {
  const update = db
    .update(userSubscriptions)
    .set({ ...changes, updatedAt: now })
    .where(eq(userSubscriptions.id, current.id))
    .returning({
      id: userSubscriptions.id,
      user_id: userSubscriptions.userId,
      payment_provider: userSubscriptions.paymentProvider,
      payment_provider_id: userSubscriptions.paymentProviderId,
    });
  // Drizzle renders an embedded query in parentheses, which is exactly the CTE's syntax.
  const [changed] = await queryRows<{ id: string }>(
    db,
    sql`WITH changed AS ${update} ${historyInsert(history, "changed", now.toISOString())} RETURNING subscription_id AS id`,
  );
  if (!changed) throw new Error("update returned no row");
  return { ...current, ...changes, updatedAt: now };
}
