import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { createApp } from "../api/app.ts";
import { loadTokenKeys } from "../api/lib/tokens/signing-keys.ts";
import { generateSigningJwk } from "../api/server/signing-keys.ts";
import type { Database } from "../db/client/types.ts";
import * as schema from "../db/schema.ts";
import { createBenchDatabase } from "./lib/bench-db.ts";
import { createQueryCounter, type QueryCount } from "./lib/query-counter.ts";
import type { Measurement } from "./lib/report.ts";

export interface EndpointCount extends QueryCount {
  endpoint: string;
  kind: "read" | "change" | "cached";
  target: string;
  met: boolean;
}

const JSON_HEADERS = { "Content-Type": "application/json" };

/**
 * Issue 10's targets, in round trips on the Worker (see QueryCount): a read 1 (one statement or one
 * batch), a change 2 (two in sequence), the catalog 0 when warm. An interactive transaction never
 * fits a change's 2: its BEGIN and COMMIT alone are two.
 */
const TARGETS: Record<EndpointCount["kind"], number> = { read: 1, change: 2, cached: 0 };

function judge(kind: EndpointCount["kind"], count: QueryCount): { target: string; met: boolean } {
  const limit = TARGETS[kind];
  const target = limit === 0 ? "0 round trips" : `≤ ${limit} round trip${limit === 1 ? "" : "s"}`;
  return { target, met: count.roundTrips <= limit };
}

type Init = { token?: string; json?: unknown; headers?: Record<string, string> };

export async function countRoundTrips(): Promise<EndpointCount[]> {
  const database = await createBenchDatabase("round_trips");
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  // Dropping the database at the end cuts connections that are still closing; that is expected.
  pool.on("error", () => {});
  const counter = createQueryCounter();
  try {
    const db = drizzle({ client: pool, schema, logger: counter.logger }) as unknown as Database;
    const app = createApp({
      database: { db },
      clock: () => new Date(),
      keys: await loadTokenKeys({ signingKeys: [generateSigningJwk()] }),
      log: () => {},
    });
    const results: EndpointCount[] = [];
    let addresses = 0;

    // Every request from an address of its own, so no rate limit is reached.
    async function send(method: string, path: string, init: Init = {}) {
      addresses += 1;
      const headers: Record<string, string> = {
        "cf-connecting-ip": `192.0.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`,
        ...init.headers,
      };
      if (init.token) headers.Authorization = `Bearer ${init.token}`;
      if (init.json !== undefined) Object.assign(headers, JSON_HEADERS);
      const res = await app.request(path, {
        method,
        headers,
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      });
      const body = (await res.json()) as any;
      if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(body)}`);
      return body;
    }

    /** `label` names the endpoint in the report: the path with its ids as parameters, and any note. */
    async function measure(kind: EndpointCount["kind"], method: string, path: string, init: Init = {}, label = path) {
      counter.reset();
      const body = await send(method, path, init);
      const count = counter.read();
      results.push({ endpoint: `${method} ${label}`, kind, ...count, ...judge(kind, count) });
      return body;
    }

    const signUp = (email: string, displayName: string) =>
      send("POST", "/api/auth/signup", { json: { email, password: "bench password", display_name: displayName } });
    const logIn = async (email: string) =>
      (await send("POST", "/api/auth/login", { json: { email, password: "bench password" } })) as {
        token: string;
        refresh_token: string;
      };

    const signup = await measure("change", "POST", "/api/auth/signup", {
      json: { email: "bench-member@example.com", password: "bench password", display_name: "Bench" },
    });
    const login = await measure("change", "POST", "/api/auth/login", {
      json: { email: "bench-member@example.com", password: "bench password" },
    });
    let token = login.token as string;
    const userId = signup.user.id as string;
    await measure("read", "GET", "/api/user/profile", { token });
    token = (await measure("change", "PATCH", "/api/user/profile", { token, json: { bio: "Measured" } })).token;
    await measure("read", "GET", "/api/tiers");
    await measure("cached", "GET", "/api/tiers");
    await measure("read", "GET", "/api/user/entitlements", { token });
    const ended = await logIn("bench-member@example.com");
    const refreshed = await measure("change", "POST", "/api/auth/refresh", {
      json: { refresh_token: ended.refresh_token },
    });
    await measure(
      "change",
      "POST",
      "/api/auth/logout",
      { json: { refresh_token: refreshed.refresh_token } },
      "/api/auth/logout (refresh token)",
    );
    const other = await logIn("bench-member@example.com");
    await measure("change", "POST", "/api/auth/logout", { token: other.token }, "/api/auth/logout (access token)");

    await measure("read", "GET", "/api/user/subscription", { token });
    token = (
      await measure("change", "POST", "/api/user/subscription/upgrade", {
        token,
        json: { tier_slug: "pro", billing_cycle: "monthly" },
      })
    ).token;
    token = (
      await measure(
        "change",
        "POST",
        "/api/user/subscription/upgrade",
        {
          token,
          json: { tier_slug: "business", billing_cycle: "monthly" },
          headers: { "Idempotency-Key": "bench-upgrade" },
        },
        "/api/user/subscription/upgrade (Idempotency-Key)",
      )
    ).token;
    token = (await measure("change", "POST", "/api/user/subscription/downgrade", { token, json: { tier_slug: "pro" } }))
      .token;
    token = (await measure("change", "DELETE", "/api/user/subscription/downgrade", { token })).token;
    token = (await measure("change", "DELETE", "/api/user/subscription/cancel", { token, json: { reason: "bench" } }))
      .token;
    token = (await measure("change", "POST", "/api/user/subscription/resume", { token })).token;
    await measure("read", "GET", "/api/features/priority-support", { token });

    const adminId = (await signUp("bench-admin@example.com", "Admin")).user.id as string;
    await pool.query("UPDATE users SET is_admin = true WHERE id = $1", [adminId]);
    const adminToken = (await logIn("bench-admin@example.com")).token;
    const admin = { token: adminToken };
    await measure("read", "GET", "/api/admin/subscriptions?page=1&limit=20", admin);
    await measure("read", "GET", "/api/admin/subscriptions?page=1&limit=20&tier_filter=business", admin);
    await measure(
      "change",
      "POST",
      `/api/admin/subscriptions/${userId}/assign-tier`,
      { ...admin, json: { tier_slug: "elite", billing_cycle: "annual", reason: "bench" } },
      "/api/admin/subscriptions/:user_id/assign-tier",
    );
    await measure("read", "GET", "/api/admin/subscription-stats", admin);
    await measure(
      "read",
      "GET",
      `/api/admin/subscriptions/${userId}/history`,
      admin,
      "/api/admin/subscriptions/:user_id/history",
    );
    await measure("read", "GET", "/api/admin/users?page=1&limit=20", admin);
    await measure("read", "GET", "/api/admin/users?page=1&limit=20&tier=elite", admin);
    await measure("read", "GET", `/api/admin/users/${userId}`, admin, "/api/admin/users/:user_id");

    const created = await measure("change", "POST", "/api/admin/service-keys", {
      ...admin,
      json: { name: "bench", scopes: ["usage:write"] },
    });
    await measure("read", "GET", "/api/admin/service-keys", admin);
    const serviceKey = { token: created.key as string };
    await measure("change", "POST", "/api/usage/messages/consume", {
      ...serviceKey,
      json: { user_id: userId, amount: 1 },
    });
    await measure("change", "POST", "/api/usage/documents/consume", {
      ...serviceKey,
      json: { user_id: userId, amount: 2 },
    });
    await measure("change", "POST", "/api/usage/documents/release", {
      ...serviceKey,
      json: { user_id: userId, amount: 1 },
    });
    await measure(
      "change",
      "DELETE",
      `/api/admin/service-keys/${created.service_key.id}`,
      admin,
      "/api/admin/service-keys/:id",
    );

    // Seats: an owner on Business, and a member who joins, leaves and is removed.
    const ownerId = (await signUp("bench-owner@example.com", "Owner")).user.id as string;
    await send("POST", `/api/admin/subscriptions/${ownerId}/assign-tier`, {
      ...admin,
      json: { tier_slug: "business", billing_cycle: "monthly", reason: "bench" },
    });
    const owner = { token: (await logIn("bench-owner@example.com")).token };
    const memberId = (await signUp("bench-seat@example.com", "Seat")).user.id as string;
    const member = { token: (await logIn("bench-seat@example.com")).token };
    const invite = () =>
      send("POST", "/api/user/seats/invitations", { ...owner, json: { email: "bench-seat@example.com" } });
    const tokenOf = (answer: { accept_url: string }) => new URL(answer.accept_url).searchParams.get("token") as string;

    const invited = await measure("change", "POST", "/api/user/seats/invitations", {
      ...owner,
      json: { email: "bench-seat@example.com" },
    });
    await measure("read", "GET", `/api/seats/invitation?token=${tokenOf(invited)}`, {}, "/api/seats/invitation?token");
    await measure("change", "POST", "/api/seats/accept", { ...member, json: { token: tokenOf(invited) } });
    await measure("read", "GET", "/api/user/seats", owner);
    await measure("read", "GET", `/api/admin/users/${ownerId}/seats`, admin, "/api/admin/users/:user_id/seats");
    await measure("change", "DELETE", "/api/user/seat", member);
    await send("POST", "/api/seats/accept", { ...member, json: { token: tokenOf(await invite()) } });
    await measure("change", "DELETE", `/api/user/seats/${memberId}`, owner, "/api/user/seats/:user_id");
    await send("POST", "/api/seats/accept", { ...member, json: { token: tokenOf(await invite()) } });
    await measure(
      "change",
      "DELETE",
      `/api/admin/users/${ownerId}/seats/${memberId}`,
      admin,
      "/api/admin/users/:user_id/seats/:member_id",
    );
    const pending = (await invite()) as { invitation: { id: string } };
    await measure(
      "change",
      "DELETE",
      `/api/user/seats/invitations/${pending.invitation.id}`,
      owner,
      "/api/user/seats/invitations/:id",
    );
    return results;
  } finally {
    await pool.end();
    await database.drop();
  }
}

export function roundTripMeasurements(counts: EndpointCount[]): Measurement[] {
  const above = counts.filter((c) => !c.met);
  return [
    {
      id: "round-trips",
      name: "Round trips per request on the Worker (reads ≤ 1, changes ≤ 2, GET /api/tiers 0 warm)",
      target: "every endpoint at target",
      measured: `${counts.length - above.length} of ${counts.length} endpoints at target`,
      met: above.length === 0,
      notes: above.length ? [`above target: ${above.map((c) => `${c.endpoint} (${c.roundTrips})`).join(", ")}`] : [],
      ifNotMet:
        "the endpoints above target still run an interactive transaction (BEGIN, each statement, COMMIT; on the " +
        "Worker a WebSocket connection too) or read in more statements than one batch. Per endpoint in the table " +
        "below; decisions in docs/decisions/004-round-trips.md and 016-reads-and-sign-in-in-one-round-trip.md.",
    },
  ];
}
