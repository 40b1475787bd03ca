import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { startApiServer, type ApiServer } from "../../api/server/start-api-server.ts";
import type { Listening } from "../../api/server/listen.ts";
import { buildWeb, REPO_ROOT } from "../../scripts/web/build.ts";
import { loadWebBuild, serveWebBuild } from "../../scripts/web/server.ts";
import { generateSigningJwk } from "../../api/server/signing-keys.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-db.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = join(REPO_ROOT, "test-results");
export const ADMIN = { email: "admin@e2e.tierkit.test", password: "e2e-admin-password" };

export interface Stack {
  api: ApiServer;
  web: Listening;
  webUrl: string;
  close(): Promise<void>;
}

/**
 * The whole product as `npm start` runs it, on free ports: a fresh build of the web app, the API
 * on a fresh database (in-memory PGlite, or a new database on the server named by DATABASE_URL)
 * and the web server. NODE_ENV=production so the session cookie is exactly the production one.
 */
export async function startStack(): Promise<Stack> {
  // Vitest runs with NODE_ENV=test, which Vite would honour with a development client bundle.
  process.env.NODE_ENV = "production";
  await buildWeb();
  let database: TestDatabase | undefined;
  if (process.env.DATABASE_URL) database = await createTestDatabase({ migrate: false });
  const api = await startApiServer({
    port: 0,
    hostname: "127.0.0.1",
    databaseUrl: database?.url,
    tokens: { signingKeys: [generateSigningJwk()], accessTokenTtlSeconds: 900 },
    accounts: { admin: ADMIN, demoMember: false },
    log: () => {},
  });
  process.env.API_URL = `http://127.0.0.1:${api.port}`;
  process.env.SESSION_SECRET = randomBytes(32).toString("hex");
  const web = await serveWebBuild(await loadWebBuild(), { port: 0, hostname: "127.0.0.1" });
  return {
    api,
    web,
    webUrl: `http://localhost:${web.port}`,
    close: async () => {
      await web.close();
      await api.close();
      await database?.close();
    },
  };
}

/** A fresh Chromium profile; `javaScriptEnabled: false` gives the plain-HTML browser. */
export async function launchBrowser(options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium).`);
  const profile = mkdtempSync(join(tmpdir(), "tierkit-e2e-"));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
