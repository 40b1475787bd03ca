import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DueResult, processDue } from "../../api/services/subscriptions/index.ts";
import { queryRows } from "../../db/client/types.ts";
import { invariantViolations } from "../support/invariants.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { usingPostgres } from "../support/test-db.ts";

// 200 mixed calls over 20 users through the HTTP API, 50 at a time, with a cron run racing each
// wave and another between waves while the clock moves on. On PostgreSQL the calls truly race on
// separate connections; on PGlite they queue on one, which still checks every invariant.

const USERS = 20;
const WAVES = 4;
const CALLS_PER_WAVE = 50;
const PAID = ["pro", "business", "elite", "family"] as const;

type Kind = "upgrade" | "downgrade" | "undo" | "cancel" | "resume" | "assign" | "profile";
const KINDS: Kind[] = ["upgrade", "downgrade", "undo", "cancel", "resume", "assign", "profile"];
/** The history action a successful call writes (a profile update writes none). */
const ACTION: Record<Kind, string | null> = {
  upgrade: "upgraded",
  downgrade: "downgrade_scheduled",
  undo: "downgrade_undone",
  cancel: "cancelled",
  resume: "resumed",
  assign: "assigned",
  profile: null,
};

/** A fixed-seed generator (mulberry32) so a failing mix can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

let t: TestApp;
let admin: { token: string; id: string };
let members: { token: string; id: string }[];
/** Kept out of the random waves: afterwards it makes one call of every kind, in an order where each succeeds. */
let steady: { token: string; id: string };

beforeAll(async () => {
  t = await createTestApp({ start: "2025-01-31T10:00:00.000Z" });
  const signedUp = await t.signup(undefined, { admin: true });
  admin = { token: signedUp.token, id: signedUp.user.id };
  members = [];
  for (let i = 0; i < USERS; i += 1) {
    const { token, user } = await t.signup();
    members.push({ token, id: user.id });
  }
  const { token, user } = await t.signup();
  steady = { token, id: user.id };
});
afterAll(() => t.close());

interface Outcome {
  kind: Kind;
  userId: string;
  status: number;
  contentType: string | null;
  body: { success?: boolean; error?: { code?: string } };
}

async function call(kind: Kind, user: { token: string; id: string }, pick: () => number, n: number): Promise<Outcome> {
  const tier = PAID[Math.floor(pick() * PAID.length)] ?? "pro";
  const cycle = pick() < 0.5 ? "monthly" : "annual";
  // Half the changes carry an Idempotency-Key so the claim/store path runs under load as well.
  const headers: Record<string, string> = pick() < 0.5 ? { "Idempotency-Key": `load-${n}` } : {};
  const send = (method: string, path: string, json?: unknown, token = user.token) =>
    t.request(method, path, { token, json, headers });
  let res: Response;
  switch (kind) {
    case "upgrade":
      res = await send("POST", "/api/user/subscription/upgrade", { tier_slug: tier, billing_cycle: cycle });
      break;
    case "downgrade":
      res = await send("POST", "/api/user/subscription/downgrade", {
        tier_slug: pick() < 0.5 ? "member" : "pro",
        reason: "load",
      });
      break;
    case "undo":
      res = await send("DELETE", "/api/user/subscription/downgrade");
      break;
    case "cancel":
      res = await send("DELETE", "/api/user/subscription/cancel", { reason: "load" });
      break;
    case "resume":
      res = await send("POST", "/api/user/subscription/resume");
      break;
    case "assign":
      res = await send(
        "POST",
        `/api/admin/subscriptions/${user.id}/assign-tier`,
        { tier_slug: pick() < 0.2 ? "member" : tier, billing_cycle: cycle, reason: `load ${n}` },
        admin.token,
      );
      break;
    case "profile":
      res = await send("PATCH", "/api/user/profile", { display_name: `Load ${n}`, bio: `wave call ${n}` });
      break;
  }
  return outcome(kind, user, res);
}

async function outcome(kind: Kind, user: { id: string }, res: Response): Promise<Outcome> {
  return {
    kind,
    userId: user.id,
    status: res.status,
    contentType: res.headers.get("content-type"),
    body: await res.json(),
  };
}

/**
 * Whether a racing undo or resume finds something to undo is up to the race, so the history check
 * could go without them; one user's fixed sequence makes sure every kind of call succeeds at least once.
 */
async function everyKindOnce(): Promise<Outcome[]> {
  const sequence: [Kind, string, string, unknown?, string?][] = [
    [
      "assign",
      "POST",
      `/api/admin/subscriptions/${steady.id}/assign-tier`,
      { tier_slug: "pro", billing_cycle: "monthly", reason: "steady" },
      admin.token,
    ],
    ["upgrade", "POST", "/api/user/subscription/upgrade", { tier_slug: "business", billing_cycle: "monthly" }],
    ["downgrade", "POST", "/api/user/subscription/downgrade", { tier_slug: "pro", reason: "steady" }],
    ["undo", "DELETE", "/api/user/subscription/downgrade"],
    ["cancel", "DELETE", "/api/user/subscription/cancel", { reason: "steady" }],
    ["resume", "POST", "/api/user/subscription/resume"],
    ["profile", "PATCH", "/api/user/profile", { bio: "steady" }],
  ];
  const outcomes: Outcome[] = [];
  for (const [kind, method, path, json, token = steady.token] of sequence) {
    outcomes.push(await outcome(kind, steady, await t.request(method, path, { token, json })));
  }
  return outcomes;
}

describe(`200 concurrent mixed calls with cron runs in between (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("keeps one current subscription per user, users in step with it, one history row per success and no 5xx", async () => {
    const pick = random(20250131);
    const outcomes: Outcome[] = [];
    const cron: DueResult[] = [];
    for (let wave = 0; wave < WAVES; wave += 1) {
      const calls = Array.from({ length: CALLS_PER_WAVE }, (_, i) => {
        const kind = KINDS[Math.floor(pick() * KINDS.length)] ?? "upgrade";
        const user = members[Math.floor(pick() * members.length)] ?? members[0]!;
        return call(kind, user, pick, wave * CALLS_PER_WAVE + i);
      });
      const racing = processDue(t.db, { now: t.clock.now(), batchSize: 5 });
      outcomes.push(...(await Promise.all(calls)));
      cron.push(await racing);
      // 12 days: some cancellations and downgrades outlive a wave (so resume and undo meet them),
      // others and monthly periods fall due for the cron.
      t.clock.advance({ days: 12 });
      cron.push(await processDue(t.db, { now: t.clock.now(), batchSize: 5 }));
      // Access tokens live 15 minutes; the users sign in again rather than failing the next wave with 401.
      admin.token = await t.tokenFor(admin.id);
      for (const member of members) member.token = await t.tokenFor(member.id);
    }

    expect(outcomes).toHaveLength(WAVES * CALLS_PER_WAVE);
    steady.token = await t.tokenFor(steady.id);
    const fixed = await everyKindOnce();
    expect(fixed.filter((o) => o.status !== 200)).toEqual([]);
    outcomes.push(...fixed);
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    expect(serverErrors).toEqual([]);
    for (const o of outcomes) {
      expect(o.contentType).toMatch(/^application\/json/);
      if (o.status >= 400) expect(o.body).toMatchObject({ success: false, error: { code: expect.any(String) } });
      else expect(o.body.success).toBe(true);
    }
    const successes = outcomes.filter((o) => o.status < 300);
    // The mix must exercise every kind of call and both outcomes, or the history check proves little.
    expect(new Set(successes.map((o) => o.kind))).toEqual(new Set(KINDS));
    expect(outcomes.length - successes.length).toBeGreaterThan(10);

    expect(await invariantViolations(t.db)).toEqual([]);

    const expected = new Map<string, number>();
    for (const o of successes) {
      const action = ACTION[o.kind];
      if (action) expected.set(`${o.userId} ${action}`, (expected.get(`${o.userId} ${action}`) ?? 0) + 1);
    }
    const rows = await queryRows<{ user_id: string; action: string; n: number }>(
      t.db,
      sql`SELECT user_id, action, count(*)::int AS n FROM subscription_history
          WHERE action NOT IN ('created', 'expired', 'downgraded', 'renewed') GROUP BY user_id, action`,
    );
    expect(new Map(rows.map((r) => [`${r.user_id} ${r.action}`, r.n]))).toEqual(expected);

    const [cronRows] = await queryRows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM subscription_history WHERE action IN ('expired', 'downgraded', 'renewed')`,
    );
    const cronWork = cron.reduce((sum, r) => sum + r.expired + r.downgraded + r.renewed, 0);
    expect(cronRows?.n).toBe(cronWork);
    expect(cronWork).toBeGreaterThan(0);
  });
});
