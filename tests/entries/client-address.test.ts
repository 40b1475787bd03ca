import { request as httpRequest } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveClientAddress } from "../../api/lib/client-address.ts";
import { type ApiServer, type ApiServerOptions, startApiServer } from "../../api/server/start-api-server.ts";
import { rateLimits } from "../../db/schema.ts";
import { TEST_SIGNING_KEY } from "../support/test-app.ts";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../support/test-db.ts";

const HOP_SECRET = "web-hop-secret-for-tests-0123456789abcdef";

/** A login attempt over a real socket from `localAddress` (all of 127.0.0.0/8 is this machine). */
let attempt = 0;
function loginFrom(server: ApiServer, localAddress: string, headers: Record<string, string> = {}): Promise<number> {
  attempt += 1;
  const body = JSON.stringify({ email: `nobody${attempt}@example.com`, password: "wrong-password" });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: server.port,
        path: "/api/auth/login",
        method: "POST",
        localAddress,
        headers: { "Content-Type": "application/json", ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const servers: ApiServer[] = [];
const databases: TestDatabase[] = [];

async function start(options: Partial<ApiServerOptions>): Promise<ApiServer> {
  const database = usingPostgres ? await createTestDatabase({ migrate: false }) : undefined;
  if (database) databases.push(database);
  const server = await startApiServer({
    port: 0,
    databaseUrl: database?.url,
    tokens: { signingKeys: [TEST_SIGNING_KEY], accessTokenTtlSeconds: 900 },
    accounts: { admin: { email: "admin@example.com", password: "admin-password-for-tests" }, demoMember: false },
    log: () => {},
    cronIntervalMs: 3_600_000,
    // A fixed time, so no count straddles two windows.
    clock: () => new Date("2025-03-01T10:00:30.000Z"),
    ...options,
  });
  servers.push(server);
  return server;
}

const hitsOf = async (server: ApiServer, key: string) =>
  (await server.db.select().from(rateLimits).where(eq(rateLimits.key, key)))[0]?.hits ?? 0;

let plain: ApiServer;
let behindProxy: ApiServer;

beforeAll(async () => {
  plain = await start({ webHopSecret: HOP_SECRET });
  behindProxy = await start({ trustProxy: { kind: "addresses", addresses: ["127.0.0.20"] } });
});
afterAll(async () => {
  for (const server of servers) await server.close();
  for (const database of databases) await database.close();
});

describe("whose address the API's rate limits key on (Node, TRUST_PROXY=none)", () => {
  it("ignores X-Forwarded-For and CF-Connecting-IP from an untrusted client, so rotating them does not escape the limit", async () => {
    for (let i = 0; i < 30; i += 1) {
      const spoof = `198.51.100.${i}`;
      expect(await loginFrom(plain, "127.0.0.2", { "X-Forwarded-For": spoof, "CF-Connecting-IP": spoof })).toBe(401);
    }
    expect(await loginFrom(plain, "127.0.0.2", { "X-Forwarded-For": "203.0.113.1" })).toBe(429);
    expect(await hitsOf(plain, "login:ip:127.0.0.2")).toBe(31);
    expect(await hitsOf(plain, "login:ip:198.51.100.0")).toBe(0);
  });

  it("keys clients without a forwarding header by their socket address, not one shared bucket", async () => {
    expect(await loginFrom(plain, "127.0.0.3")).toBe(401);
    expect(await hitsOf(plain, "login:ip:127.0.0.3")).toBe(1);
    expect(await hitsOf(plain, "login:ip:unknown")).toBe(0);
  });

  it("believes the web server's X-Forwarded-For only with the shared WEB_API_SECRET beside it", async () => {
    expect(
      await loginFrom(plain, "127.0.0.4", { "X-Forwarded-For": "203.0.113.40", "X-Tierkit-Web-Hop": HOP_SECRET }),
    ).toBe(401);
    expect(await hitsOf(plain, "login:ip:203.0.113.40")).toBe(1);

    expect(
      await loginFrom(plain, "127.0.0.4", { "X-Forwarded-For": "203.0.113.41", "X-Tierkit-Web-Hop": "guessed" }),
    ).toBe(401);
    expect(await hitsOf(plain, "login:ip:203.0.113.41")).toBe(0);
    expect(await hitsOf(plain, "login:ip:127.0.0.4")).toBe(1);
  });
});

describe("TRUST_PROXY as a list of proxy addresses", () => {
  it("takes the visitor from X-Forwarded-For only when the socket is a listed proxy", async () => {
    expect(await loginFrom(behindProxy, "127.0.0.20", { "X-Forwarded-For": "203.0.113.9, 127.0.0.20" })).toBe(401);
    expect(await hitsOf(behindProxy, "login:ip:203.0.113.9")).toBe(1);

    expect(await loginFrom(behindProxy, "127.0.0.21", { "X-Forwarded-For": "203.0.113.10" })).toBe(401);
    expect(await hitsOf(behindProxy, "login:ip:203.0.113.10")).toBe(0);
    expect(await hitsOf(behindProxy, "login:ip:127.0.0.21")).toBe(1);
  });
});

describe("resolveClientAddress", () => {
  const header = (headers: Record<string, string>) => (name: string) => headers[name.toLowerCase()];

  it("walks X-Forwarded-For back past every listed proxy and no further", () => {
    const trust = { kind: "addresses", addresses: ["10.0.0.1", "10.0.0.2"] } as const;
    const sources = {
      socketAddress: "::ffff:10.0.0.2",
      header: header({ "x-forwarded-for": "6.6.6.6, 203.0.113.5, 10.0.0.1" }),
    };
    expect(resolveClientAddress({ ...trust, addresses: [...trust.addresses] }, sources)).toBe("203.0.113.5");
  });

  it("uses CF-Connecting-IP under cloudflare and the socket under none", () => {
    const sources = { socketAddress: "192.0.2.1", header: header({ "cf-connecting-ip": "203.0.113.7" }) };
    expect(resolveClientAddress({ kind: "cloudflare" }, sources)).toBe("203.0.113.7");
    expect(resolveClientAddress({ kind: "none" }, sources)).toBe("192.0.2.1");
  });
});
