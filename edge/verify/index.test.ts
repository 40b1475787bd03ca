import { Hono } from "hono";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AUDIENCE,
  createSigningKey,
  fakeTierkit,
  ISSUER,
  memberClaims,
  type SigningKey,
  signWith,
} from "../../tests/support/edge-issuer.ts";
import { tierkit } from "../index.ts";

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

let current: SigningKey;
let stranger: SigningKey;

beforeAll(async () => {
  current = await createSigningKey();
  stranger = await createSigningKey();
});

function setup(options: { now?: Date; cooldownMs?: number } = {}) {
  const issuer = fakeTierkit();
  issuer.state.keys = [current];
  let now = options.now ?? new Date();
  const app = new Hono()
    .use(
      tierkit({
        jwksUrl: issuer.jwksUrl,
        issuer: ISSUER,
        audience: AUDIENCE,
        fetch: issuer.fetch,
        clock: () => now,
        cooldownMs: options.cooldownMs,
      }),
    )
    .get("/me", (c) => c.json(c.get("tierkit")));
  const get = (token?: string) => app.request("/me", { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { issuer, get, setNow: (date: Date) => (now = date) };
}

describe("tierkit() options", () => {
  it.each([
    ["no options", undefined],
    ["a relative jwksUrl", { jwksUrl: "/.well-known/jwks.json", issuer: ISSUER, audience: AUDIENCE }],
    ["a non-http jwksUrl", { jwksUrl: "file:///etc/passwd", issuer: ISSUER, audience: AUDIENCE }],
    ["no issuer", { jwksUrl: "https://x.test/jwks", audience: AUDIENCE }],
    ["an empty audience", { jwksUrl: "https://x.test/jwks", issuer: ISSUER, audience: " " }],
    ["a negative cooldown", { jwksUrl: "https://x.test/jwks", issuer: ISSUER, audience: AUDIENCE, cooldownMs: -1 }],
  ])("refuses %s at construction", (_name, options) => {
    expect(() => tierkit(options as never)).toThrow(TypeError);
  });
});

describe("tierkit() verification", () => {
  it("puts the verified claims on c.get('tierkit')", async () => {
    const { get } = setup();
    const res = await get(await signWith(current, memberClaims));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ...memberClaims, iss: ISSUER, aud: AUDIENCE });
  });

  it.each([
    ["no token", async () => undefined, "unauthorized"],
    ["a token from another key", async () => signWith(stranger, memberClaims), "invalid_token"],
    ["a wrong issuer", async () => signWith(current, memberClaims, { issuer: "evil" }), "invalid_token"],
    ["a wrong audience", async () => signWith(current, memberClaims, { audience: "other" }), "invalid_token"],
    [
      "an expired token",
      async () => signWith(current, memberClaims, { now: new Date(Date.now() - 3_600_000) }),
      "token_expired",
    ],
    [
      "a token without tierkit's claims",
      async () => signWith(current, { user_id: memberClaims.user_id }),
      "invalid_token",
    ],
    [
      "HS256 signed with the public key's bytes (algorithm confusion)",
      async () =>
        new SignJWT(memberClaims)
          .setProtectedHeader({ alg: "HS256", kid: current.kid })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime("15m")
          .sign(new TextEncoder().encode(JSON.stringify(current.publicJwk))),
      "invalid_token",
    ],
    [
      "alg none",
      async () =>
        `${b64url({ alg: "none" })}.${b64url({ ...memberClaims, iss: ISSUER, aud: AUDIENCE, exp: 9e9, iat: 1 })}.`,
      "invalid_token",
    ],
  ])("answers 401 in tierkit's envelope for %s", async (_name, token, code) => {
    const { get } = setup();
    const res = await get(await token());
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="tierkit"/);
    expect(await res.json()).toEqual({ success: false, error: { code, message: expect.any(String) } });
  });

  it("fetches the keys once, refetches for an unknown kid, but at most once per cooldown", async () => {
    const { issuer, get } = setup({ cooldownMs: 60_000 });
    const token = await signWith(current, memberClaims);
    await get(token);
    await get(token);
    expect(issuer.state.jwksFetches).toBe(1);

    const forged = await signWith(stranger, memberClaims);
    for (let i = 0; i < 5; i++) expect((await get(forged)).status).toBe(401);
    expect(issuer.state.jwksFetches).toBe(1);
  });

  it("accepts a key published after the first fetch, once the cooldown allows a refetch", async () => {
    const { issuer, get } = setup({ cooldownMs: 0 });
    await get(await signWith(current, memberClaims));
    const next = await createSigningKey();
    issuer.state.keys = [current, next];
    expect((await get(await signWith(next, memberClaims))).status).toBe(200);
    expect(issuer.state.jwksFetches).toBe(2);
  });

  it("answers 503 when the keys cannot be fetched at all", async () => {
    const { issuer, get } = setup();
    issuer.state.down = true;
    const res = await get(await signWith(current, memberClaims));
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("jwks_unavailable");
  });
});
