// An example consumer: another team's Worker that gates its own API by the caller's tierkit plan.
// It never sees tierkit's database or secrets: tokens are verified against the published keys, and
// usage is counted by calling tierkit with this Worker's service key.
import { Hono } from "hono";
import { createUsageClient, requireFeature, requireTier, tierkit } from "tierkit/edge";

export interface Env {
  /** tierkit's API origin (GET /api/tiers, POST /api/usage/…). */
  TIERKIT_URL: string;
  /** Defaults to TIERKIT_URL/.well-known/jwks.json. */
  TIERKIT_JWKS_URL?: string;
  TIERKIT_ISSUER: string;
  TIERKIT_AUDIENCE: string;
  /** A service key with usage:write (wrangler secret put TIERKIT_SERVICE_KEY). */
  TIERKIT_SERVICE_KEY?: string;
}

function buildApp(env: Env) {
  const usage = env.TIERKIT_SERVICE_KEY
    ? createUsageClient({ baseUrl: env.TIERKIT_URL, serviceKey: env.TIERKIT_SERVICE_KEY })
    : undefined;
  return new Hono()
    .use(
      "/api/*",
      tierkit({
        jwksUrl: env.TIERKIT_JWKS_URL ?? new URL("/.well-known/jwks.json", env.TIERKIT_URL).toString(),
        tiersUrl: new URL("/api/tiers", env.TIERKIT_URL).toString(),
        issuer: env.TIERKIT_ISSUER,
        audience: env.TIERKIT_AUDIENCE,
      }),
    )
    .get("/api/me", (c) => {
      const claims = c.get("tierkit");
      return c.json({ user_id: claims.user_id, tier: claims.tier_slug, entitlements: claims.ent, version: claims.ver });
    })
    .get("/api/reports", requireTier("pro"), (c) =>
      c.json({ report: `Weekly report for ${c.get("tierkit").display_name}` }),
    )
    .get("/api/export", requireFeature("api_access"), (c) => c.json({ export: "ready" }))
    .post("/api/messages", requireFeature("messages_per_day"), async (c) => {
      if (!usage)
        return c.json(
          { success: false, error: { code: "not_configured", message: "TIERKIT_SERVICE_KEY is not set." } },
          500,
        );
      const result = await usage.consume("messages", {
        userId: c.get("tierkit").user_id,
        amount: 1,
        idempotencyKey: c.req.header("Idempotency-Key"),
      });
      if (!result.allowed) {
        return c.json(
          { success: false, error: { code: result.code, message: result.message } },
          429,
          result.retryAfterSec ? { "Retry-After": String(result.retryAfterSec) } : {},
        );
      }
      return c.json({ sent: true, remaining: result.remaining, resets_at: result.resetsAt });
    });
}

// One app per isolate: the key set and tier levels it caches survive between requests.
let app: ReturnType<typeof buildApp> | undefined;

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    app ??= buildApp(env);
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
