import { type AppType, createApp } from "../../api/app.ts";
import type { AppDeps, LogEntry } from "../../api/env.ts";
import type { User as UserJson } from "../../api/http/schemas/user-json.ts";
import { issueToken } from "../../api/http/session-token.ts";
import { loadTokenKeys, type PrivateSigningJwk, type TokenKeys } from "../../api/lib/tokens/signing-keys.ts";
import { listen } from "../../api/server/listen.ts";
import { generateSigningJwk } from "../../api/server/signing-keys.ts";
import { startSession } from "../../api/services/sessions/sessions.ts";
import { setAdmin } from "../../api/services/users.ts";
import type { Database } from "../../db/client/types.ts";
import { UPSTREAM_HEADER } from "../../scripts/contract/upstream-relay.ts";
import { createContractCheck } from "./contract-check.ts";
import { createTestClock, type TestClock } from "./test-clock.ts";
import { createTestDatabase, type TestDatabase } from "./test-db.ts";

export { createTestClock, type TestClock } from "./test-clock.ts";

/** The legacy HS256 secret, for tests of tokens signed before ES256 (pass it as `legacySecret`). */
export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";
/** The test app's signing key unless a test gives its own (one per test file). */
export const TEST_SIGNING_KEY: PrivateSigningJwk = generateSigningJwk();
export const TEST_PASSWORD = "correct horse battery";

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Serialized as the body with Content-Type: application/json. */
  json?: unknown;
  /** A raw body, sent as is (for malformed-input tests). */
  body?: string;
  headers?: Record<string, string>;
}

export interface SignupOptions {
  password?: string;
  displayName?: string;
  /** Makes the user an admin right after signup; the returned token then says so. */
  admin?: boolean;
}

export interface TestApp {
  app: AppType;
  deps: AppDeps;
  db: Database;
  database: TestDatabase;
  clock: TestClock;
  /** Every structured log line the app wrote. */
  logs: LogEntry[];
  /** Fails (rejects) when the answer is a status or body the route does not declare. */
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Signs up through POST /api/auth/signup (from its own client IP, so rate limits don't interfere). */
  signup(email?: string, options?: SignupOptions): Promise<{ token: string; refresh_token: string; user: UserJson }>;
  /** Sets users.is_admin in the database and returns a fresh token (of a new session) for the user. */
  makeAdmin(userId: string): Promise<string>;
  /** An access token of a new session for the user, as a login would issue it. */
  tokenFor(userId: string): Promise<string>;
  close(): Promise<void>;
}

let sequence = 0;

function forwardable(body: RequestInit["body"]): boolean {
  if (typeof body !== "string" || body.trim() === "") return true;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** The real app on a fresh migrated database (PGlite, or PostgreSQL with DATABASE_URL) and a test clock. */
export async function createTestApp(
  options: {
    start?: Date | string;
    signingKeys?: PrivateSigningJwk[];
    legacySecret?: string;
    keys?: TokenKeys;
    payments?: AppDeps["payments"];
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = createTestClock(options.start);
  const logs: LogEntry[] = [];
  const deps: AppDeps = {
    database: { db: database.db },
    clock: clock.now,
    keys:
      options.keys ??
      (await loadTokenKeys({
        signingKeys: options.signingKeys ?? [TEST_SIGNING_KEY],
        legacySecret: options.legacySecret,
      })),
    corsOrigins: ["http://localhost:5173"],
    log: (entry) => logs.push(entry),
    // Tests name their client with CF-Connecting-IP, as Cloudflare would.
    clientAddress: { trustProxy: { kind: "cloudflare" } },
    payments: options.payments,
  };
  const app = createApp(deps);
  const contractViolation = createContractCheck(app);
  // npm run test:contract: requests go over HTTP through Prism's validating proxy to this app.
  const proxy = process.env.CONTRACT_PROXY_URL;
  const served = proxy ? await listen(app.fetch, 0) : undefined;
  const send = (path: string, init: RequestInit): Promise<Response> => {
    if (!served) return Promise.resolve(app.request(path, init));
    // Prism answers a body it cannot parse as JSON itself instead of forwarding it: those go to the app directly.
    const target = proxy && forwardable(init.body) ? proxy : served.url;
    const headers = { ...(init.headers as Record<string, string>), [UPSTREAM_HEADER]: String(served.port) };
    return fetch(`${target}${path}`, { ...init, headers });
  };

  const request: TestApp["request"] = async (method, path, { token, json, body, headers = {} } = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    const sent = init.headers as Record<string, string>;
    if (token) sent.Authorization = `Bearer ${token}`;
    if (json !== undefined) {
      sent["Content-Type"] ??= "application/json";
      init.body = JSON.stringify(json);
    } else if (body !== undefined) {
      init.body = body;
    }
    const res = await send(path, init);
    const violation = await contractViolation(method, path, res);
    if (violation) throw new Error(`Contract violation: ${violation}`);
    return res;
  };

  const tokenFor: TestApp["tokenFor"] = async (userId) => {
    const session = await startSession(database.db, userId, clock.now());
    return issueToken(deps, database.db, userId, session.sessionId);
  };

  const makeAdmin: TestApp["makeAdmin"] = async (userId) => {
    await setAdmin(database.db, userId, true, clock.now());
    return tokenFor(userId);
  };

  const signup: TestApp["signup"] = async (email, signupOptions = {}) => {
    sequence += 1;
    const address = email ?? `user${sequence}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const res = await request("POST", "/api/auth/signup", {
      json: {
        email: address,
        password: signupOptions.password ?? TEST_PASSWORD,
        display_name: signupOptions.displayName ?? address.split("@")[0],
      },
      headers: { "cf-connecting-ip": `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}` },
    });
    if (res.status !== 201) throw new Error(`signup of ${address} failed: ${res.status} ${await res.text()}`);
    const result = (await res.json()) as { token: string; refresh_token: string; user: UserJson };
    if (!signupOptions.admin) return { token: result.token, refresh_token: result.refresh_token, user: result.user };
    const token = await makeAdmin(result.user.id);
    return { token, refresh_token: result.refresh_token, user: { ...result.user, is_admin: true } };
  };

  return {
    app,
    deps,
    db: database.db,
    database,
    clock,
    logs,
    request,
    signup,
    makeAdmin,
    tokenFor,
    close: async () => {
      await served?.close();
      await database.close();
    },
  };
}
