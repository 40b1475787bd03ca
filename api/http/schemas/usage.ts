import { z } from "@hono/zod-openapi";
import { SERVICE_SCOPES } from "../../services/usage/service-keys.ts";
import { userText } from "./text.ts";

/** The most one call may count or release: far above any real unit of work, far below bigint. */
export const MAX_USAGE_AMOUNT = 1_000_000;

export const featureParam = z.object({
  feature: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z0-9_]*$/, "Must be a feature name such as messages or documents.")
    .openapi({ param: { name: "feature", in: "path" }, example: "messages" }),
});

export const usageBody = z
  .strictObject({
    user_id: z.guid(),
    amount: z.number().int().min(1).max(MAX_USAGE_AMOUNT),
  })
  .openapi("UsageRequest");

export const UsageJson = z
  .object({
    success: z.literal(true),
    feature: z.string(),
    user_id: z.string(),
    used: z.number().int(),
    limit: z.number().nullable().openapi({ description: "null: unlimited." }),
    remaining: z.number().nullable().openapi({ description: "null: unlimited." }),
    resets_at: z
      .string()
      .nullable()
      .openapi({ description: "Next UTC midnight for per-day limits; null for running totals." }),
  })
  .openapi("Usage");

const limitEntitlement = z.object({
  type: z.literal("limit"),
  feature: z.string().openapi({ description: "The counter's name in /api/usage/{feature}/…" }),
  key: z.string().openapi({ description: "The tier features key the limit comes from." }),
  window: z.enum(["day", "total"]),
  limit: z.number().nullable(),
  used: z.number().int(),
  remaining: z.number().nullable(),
  resets_at: z.string().nullable(),
});

const flagEntitlement = z.object({
  type: z.literal("flag"),
  feature: z.string(),
  key: z.string(),
  enabled: z.boolean(),
});

export const EntitlementsJson = z
  .object({
    success: z.literal(true),
    tier: z.object({ slug: z.string(), level: z.number().int() }),
    features: z.array(z.discriminatedUnion("type", [limitEntitlement, flagEntitlement])),
  })
  .openapi("Entitlements");

export const serviceKeyBody = z
  .strictObject({
    name: userText(100, 1),
    scopes: z.array(z.enum(SERVICE_SCOPES)).min(1).max(SERVICE_SCOPES.length),
  })
  .openapi("NewServiceKey");

export const serviceKeyIdParam = z.object({
  id: z.guid().openapi({ param: { name: "id", in: "path" } }),
});

export const ServiceKeyJson = z
  .object({
    id: z.string(),
    name: z.string(),
    key_prefix: z.string().openapi({ description: "The key's first characters, to tell keys apart." }),
    scopes: z.array(z.string()),
    created_by_user_id: z.string().nullable(),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi("ServiceKey");

export const CreatedServiceKeyJson = z
  .object({
    success: z.literal(true),
    key: z.string().openapi({ description: "The secret, shown only in this answer; only its hash is stored." }),
    service_key: ServiceKeyJson,
  })
  .openapi("CreatedServiceKey");
