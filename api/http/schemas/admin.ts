import { z } from "zod";
import { SUBSCRIPTION_STATUSES } from "../../../db/schema.ts";
import { billingCycle, tierSlug } from "./subscription.ts";
import { userText } from "./text.ts";

export const userIdParam = z.object({ user_id: z.uuid() });

const page = z.coerce.number().int().min(1).max(1_000_000).default(1);
const limit = z.coerce.number().int().min(1).max(100).default(20);

export const listSubscriptionsQuery = z.object({
  page,
  limit,
  tier_filter: z.union([z.literal("all"), tierSlug]).default("all"),
  // "current" (the default) lists what the stats count; "all" adds the history of replaced rows.
  status_filter: z.enum(["current", "all", ...SUBSCRIPTION_STATUSES]).default("current"),
});

export const listUsersQuery = z.object({
  page,
  limit,
  tier: tierSlug.optional(),
  // An empty search box means no filter, so the web app can always send the field.
  q: userText(254).optional(),
});

export const assignTierBody = z.strictObject({
  tier_slug: tierSlug,
  billing_cycle: billingCycle.optional(),
  reason: userText(500, 1),
});
