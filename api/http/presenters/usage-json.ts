import { sql } from "drizzle-orm";
import type { UsageReport } from "../../services/usage/report.ts";
import type { ServiceKeyRecord } from "../../services/usage/service-keys.ts";
import type { CountedUsage } from "../../services/usage/usage-call.ts";

/**
 * The Usage body (schemas/usage.ts) as jsonb, built by the statement that counts: the same value is
 * sent and stored under the request's Idempotency-Key, so a replay is the first answer itself.
 */
export const usageJson = (usage: CountedUsage) =>
  sql`jsonb_build_object('success', true, 'feature', ${usage.feature}::text, 'user_id', ${usage.userId}::text,
                         'used', ${usage.used}, 'limit', ${usage.limit}, 'remaining', ${usage.remaining},
                         'resets_at', ${usage.resetsAt?.toISOString() ?? null}::text)`;

export const presentServiceKey = (key: ServiceKeyRecord) => ({
  id: key.id,
  name: key.name,
  key_prefix: key.keyPrefix,
  scopes: key.scopes,
  created_by_user_id: key.createdByUserId,
  created_at: key.createdAt.toISOString(),
  revoked_at: key.revokedAt?.toISOString() ?? null,
});

export const presentEntitlements = (report: UsageReport) => ({
  success: true as const,
  tier: { slug: report.tierSlug, level: report.tierLevel },
  features: report.features.map((entry) =>
    entry.type === "flag"
      ? entry
      : {
          type: entry.type,
          feature: entry.feature,
          key: entry.key,
          window: entry.window,
          limit: entry.limit,
          used: entry.used,
          remaining: entry.remaining,
          resets_at: entry.resetsAt?.toISOString() ?? null,
        },
  ),
});
