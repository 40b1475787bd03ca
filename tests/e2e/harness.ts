import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import type { Listening } from "../../api/server/listen.ts";
import { generateSigningJwk } from "../../api/server/signing-keys.ts";
import { type ApiServer, startApiServer } from "../../api/server/start-api-server.ts";
import { buildWeb, REPO_ROOT } from "../../scripts/web/build.ts";
import { loadWebBuild, serveWebBuild } from "../../scripts/web/server.ts";
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
export async function startStack(options: { clock?: () => Date } = {}): Promise<Stack> {
  // Vitest runs with NODE_ENV=test, which Vite would honour with a development client bundle.
  process.env.NODE_ENV = "production";
  console.log(await buildWeb());
  let database: TestDatabase | undefined;
  if (process.env.DATABASE_URL) database = await createTestDatabase({ migrate: false });
  const api = await startApiServer({
    port: 0,
    hostname: "127.0.0.1",
    databaseUrl: database?.url,
    tokens: { signingKeys: [generateSigningJwk()], accessTokenTtlSeconds: 900 },
    accounts: { admin: ADMIN, demoMember: false },
    // A suite that travels in time passes its own clock; the API's lifecycle and cron read it.
    clock: options.clock,
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

/**
 * One Chromium for the whole suite; each visitor (signed out, a member, an admin, a browser without
 * JavaScript) is a context of it, so logins are made once and reused.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium).`);
  return chromium.launch({
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
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export function newVisitor(browser: Browser, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: DESKTOP });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/**
 * axe-core's WCAG 2 A/AA and best-practice rules on the page as it is now. The source is evaluated
 * through the DevTools protocol (as @axe-core/playwright does), so a page's CSP cannot block it.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: unknown,
          ) => Promise<{
            violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "best-practice"] },
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(" ")),
    }));
  });
}

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
