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
 * Reads: one statement. Changes: one transaction and nothing outside it; a change that is a single
 * statement is a transaction of its own (PostgreSQL runs it atomically), so that counts too. The
 * catalog: none when warm.
 */
function judge(kind: EndpointCount["kind"], count: QueryCount): { target: string; met: boolean } {
  if (kind === "cached") return { target: "0 statements", met: count.roundTrips === 0 };
  if (kind === "read") return { target: "1 statement", met: count.roundTrips === 1 };
  const oneTransaction = count.transactions === 1 && count.outside === 0;
  const oneStatement = count.transactions === 0 && count.roundTrips === 1;
  return { target: "1 transaction", met: oneTransaction || oneStatement };
}

export async function countRoundTrips(): Promise<EndpointCount[]> {
  const database = await createBenchDatabase("round_trips");
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  // Dropping the database at the end cuts connections that are still closing; that is expected.
  pool.on("error", () => {});
  const counter = createQueryCounter();
  try {
    const migrated = drizzle({ client: pool, schema }) as unknown as Database;
    const db = drizzle({ client: pool, schema, logger: counter.logger }) as unknown as Database;
    const app = createApp({
      database: { db },
      clock: () => new Date(),
      keys: await loadTokenKeys({ signingKeys: [generateSigningJwk()] }),
      log: () => {},
    });
    const results: EndpointCount[] = [];

    async function measure(
      kind: EndpointCount["kind"],
      method: string,
      path: string,
      init: { token?: string; json?: unknown; headers?: Record<string, string> } = {},
    ) {
      const headers: Record<string, string> = { "cf-connecting-ip": `192.0.2.${results.length + 1}`, ...init.headers };
      if (init.token) headers.Authorization = `Bearer ${init.token}`;
      if (init.json !== undefined) Object.assign(headers, JSON_HEADERS);
      counter.reset();
      const res = await app.request(path, {
        method,
        headers,
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      });
      const body = (await res.json()) as { token?: string; user?: { id: string } };
      if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(body)}`);
      const count = counter.read();
      const label = path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, ":user_id");
      results.push({ endpoint: `${method} ${label}`, kind, ...count, ...judge(kind, count) });
      return body;
    }

    const signup = await measure("change", "POST", "/api/auth/signup", {
      json: { email: "bench-member@example.com", password: "bench password", display_name: "Bench" },
    });
    const login = await measure("change", "POST", "/api/auth/login", {
      json: { email: "bench-member@example.com", password: "bench password" },
    });
    let token = login.token as string;
    const userId = signup.user?.id as string;
    await measure("read", "GET", "/api/user/profile", { token });
    token = (await measure("change", "PATCH", "/api/user/profile", { token, json: { bio: "Measured" } }))
      .token as string;
    await measure("read", "GET", "/api/tiers");
    await measure("cached", "GET", "/api/tiers");
    await measure("read", "GET", "/api/user/subscription", { token });
    token = (
      await measure("change", "POST", "/api/user/subscription/upgrade", {
        token,
        json: { tier_slug: "pro", billing_cycle: "monthly" },
      })
    ).token as string;
    token = (
      await measure("change", "POST", "/api/user/subscription/upgrade", {
        token,
        json: { tier_slug: "business", billing_cycle: "monthly" },
        headers: { "Idempotency-Key": "bench-upgrade" },
      })
    ).token as string;
    results.at(-1)!.endpoint += " (Idempotency-Key)";
    token = (await measure("change", "POST", "/api/user/subscription/downgrade", { token, json: { tier_slug: "pro" } }))
      .token as string;
    token = (await measure("change", "DELETE", "/api/user/subscription/downgrade", { token })).token as string;
    token = (await measure("change", "DELETE", "/api/user/subscription/cancel", { token, json: { reason: "bench" } }))
      .token as string;
    token = (await measure("change", "POST", "/api/user/subscription/resume", { token })).token as string;
    await measure("read", "GET", "/api/features/priority-support", { token });

    const admin = await app.request("/api/auth/signup", {
      method: "POST",
      headers: { ...JSON_HEADERS, "cf-connecting-ip": "192.0.2.250" },
      body: JSON.stringify({ email: "bench-admin@example.com", password: "bench password", display_name: "Admin" }),
    });
    const adminId = ((await admin.json()) as { user: { id: string } }).user.id;
    await pool.query("UPDATE users SET is_admin = true WHERE id = $1", [adminId]);
    const adminToken = (
      (await (
        await app.request("/api/auth/login", {
          method: "POST",
          headers: { ...JSON_HEADERS, "cf-connecting-ip": "192.0.2.251" },
          body: JSON.stringify({ email: "bench-admin@example.com", password: "bench password" }),
        })
      ).json()) as { token: string }
    ).token;
    await measure("read", "GET", "/api/admin/subscriptions?page=1&limit=20", { token: adminToken });
    await measure("change", "POST", `/api/admin/subscriptions/${userId}/assign-tier`, {
      token: adminToken,
      json: { tier_slug: "elite", billing_cycle: "annual", reason: "bench" },
    });
    await measure("read", "GET", "/api/admin/subscription-stats", { token: adminToken });
    await measure("read", "GET", `/api/admin/subscriptions/${userId}/history`, { token: adminToken });
    await measure("read", "GET", "/api/admin/users?page=1&limit=20", { token: adminToken });
    await measure("read", "GET", `/api/admin/users/${userId}`, { token: adminToken });
    void migrated;
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
      name: "Round trips per request (reads 1 statement, changes 1 transaction, GET /api/tiers 0 warm)",
      target: "every endpoint at target",
      measured: `${counts.length - above.length} of ${counts.length} endpoints at target`,
      met: above.length === 0,
      ifNotMet:
        "the endpoints above target are the admin ones, where requireAdmin reads the caller's rights in a statement " +
        "of its own before the endpoint's statement (kept in one middleware on purpose rather than folded into every " +
        "admin query); sign-up and login, whose rate-limit counts must not roll back with the refusal they cause; and " +
        "Idempotency-Key, which adds a claim and a store around the change. What would meet it: the rights check " +
        "inside each admin statement, and the idempotency record written inside the change's transaction. Per " +
        "endpoint in the table below; decisions in docs/decisions/004-round-trips.md.",
    },
  ];
}
