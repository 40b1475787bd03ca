import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import type { PrivateSigningJwk } from "../../../api/lib/tokens/signing-keys.ts";
import { generateSigningJwk } from "../../../api/server/signing-keys.ts";
import { type ApiServer, startApiServer } from "../../../api/server/start-api-server.ts";

export interface TokenSource {
  /** The tierkit API the Worker under test trusts: its JWKS, its catalog, its usage endpoints. */
  tierkitUrl: string;
  serviceKey: string;
  tokens: {
    member: string;
    pro: string;
    /** Signed by a key tierkit never published. */
    otherKey: string;
    /** Issued by tierkit with the current key, half an hour ago: past its 15 minutes. */
    expired: string;
    /** Issued by tierkit before a key rotation, with the key that has been removed since. */
    removedKey: string;
  };
  close(): Promise<void>;
}

const ADMIN = { email: "admin@consumer.test", password: "consumer-admin-password" };
const PASSWORD = "correct horse battery";
const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

const startTierkit = (signingKeys: PrivateSigningJwk[], clock?: () => Date) =>
  startApiServer({
    port: 0,
    tokens: { signingKeys, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS },
    accounts: { admin: ADMIN, demoMember: false },
    clock,
    log: () => {},
  });

async function call(base: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await res.json()) as Record<string, any>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const signup = async (api: ApiServer, email: string) =>
  (
    await call(api.url, "/api/auth/signup", {
      method: "POST",
      body: { email, password: PASSWORD, display_name: email.split("@")[0] },
    })
  ).token as string;

/** Runs a short-lived tierkit only to have it issue one token. */
async function tokenFrom(server: Promise<ApiServer>, email: string): Promise<string> {
  const api = await server;
  try {
    return await signup(api, email);
  } finally {
    await api.close();
  }
}

/**
 * The one place the suite's tokens come from: the real API on Node (in-memory PGlite) signing ES256
 * with JWT_SIGNING_KEYS-style keys, so the Worker verifies exactly what tierkit issues.
 */
export async function issueTokens(): Promise<TokenSource> {
  const current = generateSigningJwk();
  const removed = generateSigningJwk();
  const api = await startTierkit([current]);
  try {
    const admin = await call(api.url, "/api/auth/login", { method: "POST", body: ADMIN });
    const { key } = await call(api.url, "/api/admin/service-keys", {
      method: "POST",
      token: admin.token,
      body: { name: "edge-consumer", scopes: ["usage:write"] },
    });
    const member = await signup(api, "member@consumer.test");
    const upgraded = await call(api.url, "/api/user/subscription/upgrade", {
      method: "POST",
      token: await signup(api, "pro@consumer.test"),
      body: { tier_slug: "pro", billing_cycle: "monthly" },
    });
    const halfAnHourAgo = () => new Date(Date.now() - 30 * 60 * 1000);
    const stranger = await generateKeyPair("ES256");
    return {
      tierkitUrl: api.url,
      serviceKey: key,
      tokens: {
        member,
        pro: upgraded.token,
        otherKey: await new SignJWT(decodeJwt(member))
          .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: "not-tierkits" })
          .sign(stranger.privateKey),
        expired: await tokenFrom(startTierkit([current], halfAnHourAgo), "expired@consumer.test"),
        removedKey: await tokenFrom(startTierkit([removed]), "rotated@consumer.test"),
      },
      close: api.close,
    };
  } catch (error) {
    await api.close();
    throw error;
  }
}
