// Malformed requests, each of which the API must refuse with a 4xx JSON error and no change.
// `as` picks the token: the member's, the admin's, none, or a literal Authorization header.

import {
  badAssigns,
  badCancels,
  badDowngrades,
  badProfiles,
  badTokens,
  badUpgrades,
  malformedBodies,
} from "./bad-input-bodies.ts";

export interface BadRequest {
  name: string;
  method: string;
  path: string;
  /** Sent as the raw body (JSON unless `contentType` says otherwise). */
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  as: "member" | "admin" | "none" | { authorization: string };
}

const UPGRADE = "/api/user/subscription/upgrade";
const DOWNGRADE = "/api/user/subscription/downgrade";
const CANCEL = "/api/user/subscription/cancel";
const PROFILE = "/api/user/profile";
const json = (value: unknown) => JSON.stringify(value);

/** The corpus; `userId` is a real user (for admin routes), `replayKey` the key of an earlier upgrade. */
export function badInputCorpus(userId: string, replayKey: string): BadRequest[] {
  const cases: BadRequest[] = [];
  for (const [name, body] of malformedBodies) {
    cases.push({ name: `upgrade with ${name}`, method: "POST", path: UPGRADE, body, as: "member" });
  }
  cases.push({
    name: "profile with an unterminated object",
    method: "PATCH",
    path: PROFILE,
    body: '{"bio": "x"',
    as: "member",
  });
  cases.push({
    name: "profile with a bio beyond double range",
    method: "PATCH",
    path: PROFILE,
    body: '{"bio": 1e400}',
    as: "member",
  });
  cases.push({ name: "downgrade with a bare array", method: "POST", path: DOWNGRADE, body: "[]", as: "member" });
  cases.push({ name: "cancel with invalid JSON", method: "DELETE", path: CANCEL, body: "{reason}", as: "member" });
  const signIn = (name: string, path: string, body: unknown): BadRequest => ({
    name,
    method: "POST",
    path,
    body: json(body),
    as: "none",
  });
  cases.push(
    { name: "signup with a JSON string", method: "POST", path: "/api/auth/signup", body: '"x"', as: "none" },
    signIn("signup with SQL as the email", "/api/auth/signup", {
      email: "x' OR 1=1 --",
      password: "long enough pw",
      display_name: "x",
    }),
    signIn("signup with a NUL in the email", "/api/auth/signup", {
      email: "nul\u0000@example.com",
      password: "long enough pw",
      display_name: "x",
    }),
    signIn("signup with a 300-character email", "/api/auth/signup", {
      email: `${"e".repeat(288)}@example.com`,
      password: "long enough pw",
      display_name: "x",
    }),
    signIn("signup with a numeric password", "/api/auth/signup", {
      email: "n@example.com",
      password: 12345678,
      display_name: "x",
    }),
    signIn("login with an operator object", "/api/auth/login", { email: { $gt: "" }, password: "x" }),
    signIn("login with an array password", "/api/auth/login", { email: "a@example.com", password: ["a"] }),
    signIn("login with no fields", "/api/auth/login", {}),
    signIn("login with a NUL in the email", "/api/auth/login", { email: "a\u0000@example.com", password: "whatever" }),
    signIn("signup with a NUL in the display name", "/api/auth/signup", {
      email: "nul-name@example.com",
      password: "long enough pw",
      display_name: "a\u0000",
    }),
  );
  for (const [name, body] of badUpgrades)
    cases.push({ name: `upgrade with ${name}`, method: "POST", path: UPGRADE, body: json(body), as: "member" });
  for (const [name, body] of badDowngrades)
    cases.push({ name: `downgrade with ${name}`, method: "POST", path: DOWNGRADE, body: json(body), as: "member" });
  for (const [name, body] of badCancels)
    cases.push({ name: `cancel with ${name}`, method: "DELETE", path: CANCEL, body: json(body), as: "member" });
  for (const [name, body] of badProfiles)
    cases.push({ name: `profile with ${name}`, method: "PATCH", path: PROFILE, body: json(body), as: "member" });
  for (const [name, body] of badAssigns) {
    cases.push({
      name: `assign with ${name}`,
      method: "POST",
      path: `/api/admin/subscriptions/${userId}/assign-tier`,
      body: json(body),
      as: "admin",
    });
  }

  cases.push(
    {
      name: "a 70 KB body",
      method: "POST",
      path: UPGRADE,
      body: json({ tier_slug: "pro", billing_cycle: "monthly", pad: "x".repeat(70_000) }),
      as: "member",
    },
    {
      name: "a text/plain body",
      method: "POST",
      path: UPGRADE,
      body: json({ tier_slug: "pro", billing_cycle: "monthly" }),
      contentType: "text/plain",
      as: "member",
    },
    {
      name: "a form body",
      method: "POST",
      path: UPGRADE,
      body: "tier_slug=pro&billing_cycle=monthly",
      contentType: "application/x-www-form-urlencoded",
      as: "member",
    },
    {
      name: "a multipart body",
      method: "PATCH",
      path: PROFILE,
      body: '--b\r\nContent-Disposition: form-data; name="bio"\r\n\r\nx\r\n--b--',
      contentType: "multipart/form-data; boundary=b",
      as: "member",
    },
    {
      name: "an XML body",
      method: "PATCH",
      path: PROFILE,
      body: "<bio>x</bio>",
      contentType: "application/xml",
      as: "member",
    },
  );

  for (const [name, authorization] of badTokens) {
    cases.push({
      name: `upgrade with ${name}`,
      method: "POST",
      path: UPGRADE,
      body: json({ tier_slug: "pro", billing_cycle: "monthly" }),
      as: { authorization },
    });
  }
  cases.push(
    { name: "profile update without a token", method: "PATCH", path: PROFILE, body: json({ bio: "anon" }), as: "none" },
    { name: "cancel without a token", method: "DELETE", path: CANCEL, as: "none" },
    {
      name: "admin assign without a token",
      method: "POST",
      path: `/api/admin/subscriptions/${userId}/assign-tier`,
      body: json({ tier_slug: "pro", billing_cycle: "monthly", reason: "x" }),
      as: "none",
    },
  );

  const replay = (key: string, body: unknown, path = UPGRADE) => ({
    method: "POST",
    path,
    body: json(body),
    headers: { "Idempotency-Key": key },
    as: "member" as const,
  });
  cases.push(
    {
      name: "the upgrade's idempotency key with another tier",
      ...replay(replayKey, { tier_slug: "elite", billing_cycle: "monthly" }),
    },
    {
      name: "the upgrade's idempotency key with another cycle",
      ...replay(replayKey, { tier_slug: "business", billing_cycle: "annual" }),
    },
    {
      name: "the upgrade's idempotency key on the downgrade",
      ...replay(replayKey, { tier_slug: "member" }, DOWNGRADE),
    },
    { name: "an empty idempotency key", ...replay("", { tier_slug: "family", billing_cycle: "monthly" }) },
    {
      name: "a 256-character idempotency key",
      ...replay("k".repeat(256), { tier_slug: "family", billing_cycle: "monthly" }),
    },
    { name: "a non-ASCII idempotency key", ...replay("cl\u00e9", { tier_slug: "family", billing_cycle: "monthly" }) },
    { name: "an idempotency key with a tab", ...replay("a\tb", { tier_slug: "family", billing_cycle: "monthly" }) },
  );

  const adminGet = (name: string, path: string): BadRequest => ({ name, method: "GET", path, as: "admin" });
  cases.push(
    adminGet("page 0", "/api/admin/subscriptions?page=0"),
    adminGet("a negative page", "/api/admin/subscriptions?page=-1"),
    adminGet("a fractional page", "/api/admin/subscriptions?page=1.5"),
    adminGet("a page past a million", "/api/admin/subscriptions?page=1000001"),
    adminGet("a 400-digit page", `/api/admin/subscriptions?page=${"9".repeat(400)}`),
    adminGet("an exponent page", "/api/admin/subscriptions?page=1e309"),
    adminGet("a NaN page", "/api/admin/subscriptions?page=NaN"),
    adminGet("SQL in the page", "/api/admin/subscriptions?page=1;DROP%20TABLE%20users"),
    adminGet("limit 0", "/api/admin/subscriptions?limit=0"),
    adminGet("limit 101", "/api/admin/subscriptions?limit=101"),
    adminGet("limit Infinity", "/api/admin/subscriptions?limit=Infinity"),
    adminGet("an unknown tier filter", "/api/admin/subscriptions?tier_filter=gold"),
    adminGet("SQL in the tier filter", "/api/admin/subscriptions?tier_filter=pro'%20OR%20'1'='1"),
    adminGet("an unknown status filter", "/api/admin/subscriptions?status_filter=deleted"),
    adminGet("a user id that is not a UUID", "/api/admin/subscriptions/1%20OR%201=1/history"),
    adminGet("an unknown user's history", "/api/admin/subscriptions/00000000-0000-4000-8000-000000000000/history"),
    adminGet("an unknown user", "/api/admin/users/00000000-0000-4000-8000-000000000000"),
    adminGet("a user id with a NUL", "/api/admin/users/%00"),
    adminGet("a users page of -5", "/api/admin/users?page=-5"),
    adminGet("a 255-character search", `/api/admin/users?q=${"q".repeat(255)}`),
    adminGet("a search with a NUL", "/api/admin/users?q=a%00b"),
    {
      name: "assign to an unknown user",
      method: "POST",
      path: "/api/admin/subscriptions/00000000-0000-4000-8000-000000000000/assign-tier",
      body: json({ tier_slug: "pro", billing_cycle: "monthly", reason: "x" }),
      as: "admin",
    },
    {
      name: "assign to a non-UUID",
      method: "POST",
      path: "/api/admin/subscriptions/admin'--/assign-tier",
      body: json({ tier_slug: "pro", billing_cycle: "monthly", reason: "x" }),
      as: "admin",
    },
    {
      name: "PUT on upgrade",
      method: "PUT",
      path: UPGRADE,
      body: json({ tier_slug: "pro", billing_cycle: "monthly" }),
      as: "member",
    },
    { name: "a path traversal", method: "GET", path: "/api/../../etc/passwd", as: "member" },
  );
  return cases;
}
