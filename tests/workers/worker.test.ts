import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, inject, it } from "vitest";
import { scheduleDowngrade, upgrade } from "../../api/services/subscriptions/index.ts";
import worker from "../../api/worker.ts";
import { openNeonHttp } from "../../db/client/neon-http.ts";
import { queryRows } from "../../db/client/types.ts";
import { seatInvitations, subscriptionHistory, users } from "../../db/schema.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

async function api(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const headers = new Headers();
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  if (init.body !== undefined) headers.set("Content-Type", "application/json");
  const response = await exports.default.fetch(
    new Request(`https://tierkit.test${path}`, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function signup(email: string) {
  const { status, body } = await api("/api/auth/signup", {
    method: "POST",
    body: { email, password: "correct horse battery", display_name: "Workerd Test" },
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return { token: body.token as string, refreshToken: body.refresh_token as string, userId: body.user.id as string };
}

/** The test's own connection, over the same driver, endpoint and relay as the Worker. */
function openDatabase() {
  return openNeonHttp(env.DATABASE_URL as string, {
    fetchEndpoint: env.NEON_HTTP_ENDPOINT,
    wsProxy: env.NEON_WS_PROXY,
  });
}

describe("a Worker deployed without its secrets", () => {
  it("answers 500 with a config error naming the missing settings", async () => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request("https://tierkit.test/api/tiers"), {}, ctx);
    await waitOnExecutionContext(ctx);

    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("config_error");
    expect(body.error.message).toContain("DATABASE_URL: must be set; JWT_SIGNING_KEYS: must be set");
  });

  it("refuses bad JWT_SIGNING_KEYS, a JWT_SECRET shorter than 32 bytes and an unknown TRUST_PROXY, naming all three", async () => {
    const ctx = createExecutionContext();
    const bindings = {
      DATABASE_URL: "postgres://u@db.example/neondb",
      JWT_SIGNING_KEYS: "not json",
      JWT_SECRET: "short",
      TRUST_PROXY: "anyone",
    };
    const response = await worker.fetch(new Request("https://tierkit.test/api/tiers"), bindings, ctx);
    await waitOnExecutionContext(ctx);

    expect(response.status).toBe(500);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("config_error");
    expect(error.message).toContain("JWT_SIGNING_KEYS: must be a JSON array of private JWKs");
    expect(error.message).toContain("JWT_SECRET: must be at least 32 bytes");
    expect(error.message).toContain('TRUST_PROXY: must be "none", "cloudflare"');
  });
});

describe.skipIf(!inject("workerDatabaseUrl"))("the Worker inside workerd", () => {
  it("signs a user up and answers their member subscription", async () => {
    const { token } = await signup("workerd-fetch@example.com");

    const { status, body } = await api("/api/user/subscription", { token });

    expect(status).toBe(200);
    expect(body.subscription.tier.slug).toBe("member");
  });

  it("applies a due downgrade when the cron fires", async () => {
    const { userId } = await signup("workerd-cron@example.com");
    const handle = openDatabase();
    let endsAt: Date;
    try {
      const now = new Date();
      await upgrade(handle.db, { userId, tierSlug: "pro", billingCycle: "monthly", now });
      const change = await scheduleDowngrade(handle.db, { userId, tierSlug: "member", now });
      endsAt = change.subscription.endsAt as Date;
    } finally {
      await handle.close();
    }

    // The cron fires just after the period ended: the downgrade is due then, not now.
    const controller = createScheduledController({ scheduledTime: endsAt.getTime() + DAY_MS, cron: "*/15 * * * *" });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);

    const check = openDatabase();
    try {
      const [user] = await check.db.select({ tier: users.currentTierSlug }).from(users).where(eq(users.id, userId));
      const history = await check.db
        .select()
        .from(subscriptionHistory)
        .where(and(eq(subscriptionHistory.userId, userId), eq(subscriptionHistory.action, "downgraded")));
      expect(user?.tier).toBe("member");
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ fromTierSlug: "pro", toTierSlug: "member" });
    } finally {
      await check.close();
    }
    // The cron ran a month ahead, past the session's refresh tokens (it purged them): sign in again.
    const login = await api("/api/auth/login", {
      method: "POST",
      body: { email: "workerd-cron@example.com", password: "correct horse battery" },
    });
    expect(login.status).toBe(200);
    const { status, body } = await api("/api/user/subscription", { token: login.body.token });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.subscription.tier.slug).toBe("member");
  });

  it("drains a backlog larger than one batch within one trigger", async () => {
    // 2,100 cancellations that ran out, more than the cron's 2,000-row batch, inserted set-based.
    const seed = openDatabase();
    try {
      await seed.db.execute(sql`
        WITH new_users AS (
          INSERT INTO users (email, display_name, password_hash)
          SELECT 'backlog' || g || '@example.com', 'Backlog ' || g, 'x' FROM generate_series(1, 2100) g
          RETURNING id
        ), subs AS (
          INSERT INTO user_subscriptions (user_id, tier_slug, billing_cycle, status, started_at, current_period_start,
                                          current_period_end, billing_anchor_at, cancelled_at, ends_at)
          SELECT id, 'pro', 'monthly', 'cancelled', '2025-01-15Z', '2025-01-15Z', '2025-02-15Z', '2025-01-15Z',
                 '2025-02-01Z', '2025-02-15Z'
          FROM new_users
          RETURNING id, user_id
        )
        UPDATE users u SET subscription_id = subs.id, current_tier_slug = 'pro' FROM subs WHERE u.id = subs.user_id`);
    } finally {
      await seed.close();
    }

    const controller = createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);

    const check = openDatabase();
    try {
      const [row] = await queryRows<{ members: number; expired: number }>(
        check.db,
        sql`SELECT count(*) FILTER (WHERE u.current_tier_slug = 'member')::int AS members,
                   (SELECT count(*)::int FROM subscription_history h JOIN users x ON x.id = h.user_id
                    WHERE x.email LIKE 'backlog%' AND h.action = 'expired') AS expired
            FROM users u WHERE u.email LIKE 'backlog%'`,
      );
      expect(row).toEqual({ members: 2100, expired: 2100 });
    } finally {
      await check.close();
    }
  });

  it("keeps a Business plan's five seats under concurrent invitations, then a member joins and leaves", async () => {
    const owner = await signup("workerd-seat-owner@example.com");
    const setup = openDatabase();
    try {
      await upgrade(setup.db, { userId: owner.userId, tierSlug: "business", billingCycle: "monthly", now: new Date() });
    } finally {
      await setup.close();
    }
    // Each invitation is a read and a batch over Neon's HTTP path; racing ones retry on the batch's 40001.
    const emails = Array.from({ length: 8 }, (_, i) => `workerd-seat-${i}@example.com`);
    const answers = await Promise.all(
      emails.map((email) =>
        api("/api/user/seats/invitations", { method: "POST", token: owner.token, body: { email } }),
      ),
    );
    const created = answers.filter((answer) => answer.status === 201);
    expect(created).toHaveLength(4);
    expect(answers.filter((answer) => answer.status === 409).map((answer) => answer.body.error.code)).toEqual(
      Array(4).fill("seats_full"),
    );
    const check = openDatabase();
    try {
      const stored = await check.db.select().from(seatInvitations).where(eq(seatInvitations.ownerId, owner.userId));
      expect(stored).toHaveLength(4);
    } finally {
      await check.close();
    }

    const first = created[0]!.body;
    const member = await signup(first.invitation.email);
    const accepted = await api("/api/seats/accept", {
      method: "POST",
      token: member.token,
      body: { token: new URL(first.accept_url).searchParams.get("token") },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.seat).toMatchObject({ owner_id: owner.userId, tier_slug: "business" });
    const keys = createLocalJWKSet((await api("/.well-known/jwks.json")).body as { keys: [] });
    expect((await jwtVerify(accepted.body.token, keys)).payload).toMatchObject({ tier_slug: "business" });

    const seats = await api("/api/user/seats", { token: owner.token });
    expect(seats.status).toBe(200);
    expect(seats.body).toMatchObject({ seats: 5, seats_used: 5, seats_left: 0 });
    expect(seats.body.members.map((m: { user_id: string }) => m.user_id)).toEqual([member.userId]);
    expect(seats.body.invitations).toHaveLength(3);

    const left = await api("/api/user/seat", { method: "DELETE", token: member.token });
    expect(left.status).toBe(200);
    expect((await jwtVerify(left.body.token, keys)).payload).toMatchObject({ tier_slug: "member" });
    expect((await api("/api/user/seats", { token: owner.token })).body.members).toEqual([]);
  });

  it("publishes its JWKS, whose keys verify the tokens it issues and refreshes", async () => {
    const { token, refreshToken, userId } = await signup("workerd-jwks@example.com");
    const jwks = await api("/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    const keys = createLocalJWKSet(jwks.body as { keys: [] });
    const verified = await jwtVerify(token, keys, {
      issuer: "tierkit",
      audience: "tierkit-api",
      algorithms: ["ES256"],
    });
    expect(verified.payload).toMatchObject({ user_id: userId, tier_slug: "member", ent: { api_access: false } });

    const refreshed = await api("/api/auth/refresh", { method: "POST", body: { refresh_token: refreshToken } });
    expect(refreshed.status).toBe(200);
    const again = await jwtVerify(refreshed.body.token, keys, { issuer: "tierkit", audience: "tierkit-api" });
    expect(again.payload.sid).toBe(verified.payload.sid);

    expect((await api("/api/auth/logout", { method: "POST", token: refreshed.body.token })).status).toBe(200);
    expect((await api("/api/user/subscription", { token: refreshed.body.token })).status).toBe(401);
  });
});
