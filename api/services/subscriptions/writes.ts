// The statements a lifecycle change writes, built without sending them: a change decided from one
// read sends them all in one batch (change.ts); the cron and the provider's webhooks send them one
// by one in their own transactions (store.ts).
import { eq, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../../db/client/types.ts";
import type {
  BillingCycle,
  HistoryAction,
  PaymentProviderName,
  Subscription,
  SubscriptionStatus,
  Tier,
} from "../../../db/schema.ts";
import { userSubscriptions } from "../../../db/schema.ts";
import { periodContaining } from "./period.ts";

export type SubscriptionWithTier = Subscription & { tier: Tier };

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

export type RowChanges = Partial<
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
>;

/** A statement and the row as it will be once the statement ran (so nothing is read back). */
export interface Write {
  statement: SQL;
  row: SubscriptionWithTier;
}

const time = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * Starts a new current row, points the user at it and writes its history row, ending `replacing`
 * first when given: one statement. The insert reads from the UPDATE's CTE, which makes PostgreSQL
 * end the old row before the new one meets the one-current-row unique index; the id is made here
 * so the row need not be read back.
 */
export function startWrite(next: NewPeriod, history: ChangeRecord, replacing?: Subscription): Write {
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
  const statement = sql`WITH ended AS (
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
        RETURNING subscription_id AS id`;
  return { statement, row: { ...row, tier: next.tier } };
}

/** Changes the current row in place and writes the history row for it, in one statement. */
export function updateWrite(
  db: Database,
  current: SubscriptionWithTier,
  changes: RowChanges,
  now: Date,
  history: ChangeRecord,
): Write {
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
  const statement = sql`WITH changed AS ${update} ${historyInsert(history, "changed", now.toISOString())} RETURNING subscription_id AS id`;
  return { statement, row: { ...current, ...changes, updatedAt: now } };
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
