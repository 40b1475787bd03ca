import type { UsageState } from "../../services/usage/counting.ts";
import type { UsageReport } from "../../services/usage/report.ts";
import type { ServiceKeyRecord } from "../../services/usage/service-keys.ts";

export const presentUsage = (state: UsageState) => ({
  success: true as const,
  feature: state.feature,
  user_id: state.userId,
  used: state.used,
  limit: state.limit,
  remaining: state.remaining,
  resets_at: state.resetsAt?.toISOString() ?? null,
});

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
