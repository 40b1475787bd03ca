import { sql } from "drizzle-orm";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { ADMIN, launchBrowser, type Stack, startStack } from "../e2e/harness.ts";

// The plan suites (tests/e2e/plan-*.e2e.test.ts): one stack and one Chromium per file, set by
// setupPlanBrowserWorld's hooks; the test files read them as ESM live bindings.
export let stack: Stack;
export let browser: Browser;

export const PASSWORD = "a good long password";
/** The member whose plan the suites follow (signed up anew in each file). */
export const ada = { name: "Ada", email: `ada-${Date.now()}@example.com` };
export const url = (path: string) => `${stack.webUrl}${path}`;

/** Starts the stack with a sixth tier (Studio) and Chromium before the file's tests, `ready` after that. */
export function setupPlanBrowserWorld(ready?: () => Promise<void>): void {
  beforeAll(async () => {
    stack = await startStack();
    // A sixth tier, added the way a migration would, before anything has read the catalog.
    await stack.api.db.execute(sql`INSERT INTO user_tiers (slug, name, description, tier_level, monthly_price_cents, annual_price_cents, features)
      VALUES ('studio', 'Studio', 'For studios that need room for everyone.', 6, 12900, 129000, '{}')`);
    browser = await launchBrowser();
    await ready?.();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
}

export async function signUp(page: Page, name: string, email: string) {
  await page.goto(url("/signup"));
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL(url("/profile"));
}

export async function logInAsAdmin(page: Page) {
  await page.goto(url("/login"));
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(url("/admin/subscriptions"));
}

export const plan = (page: Page) => page.getByRole("region", { name: "Your Plan" });
export const upgradeDialog = (page: Page) => page.getByRole("dialog", { name: "Upgrade Your Plan" });

/** Hydrated: the dialog was re-opened as a modal (or the page's scripts ran). */
export async function settled(page: Page) {
  await page.waitForLoadState("networkidle");
}

/** The element is on screen and nothing covers its centre: a person can see and press it. */
export async function expectInView(page: Page, locator: Locator) {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  expect(box, "the element has a box").not.toBeNull();
  if (!box || !viewport) return;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  const hit = await locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    const top = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
    return top === element || element.contains(top);
  });
  expect(hit, "nothing covers it").toBe(true);
}

export async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
}

/**
 * What tests/e2e/plan-member.e2e.test.ts leaves behind, for the suites that start from it: the
 * member signed up in `page`'s context and on Pro, billed annually (through the upgrade dialog).
 */
export async function signUpOnProAnnual(page: Page, name: string, email: string) {
  await signUp(page, name, email);
  await upgradeToProAnnual(page);
  await plan(page).getByText("Renews on").waitFor();
}

/** Upgrades to Pro, billed annually, through the profile page's upgrade dialog, until the dialog closes. */
export async function upgradeToProAnnual(page: Page) {
  await page.getByRole("button", { name: "Upgrade Plan" }).click();
  const dialog = upgradeDialog(page);
  await dialog.getByRole("radio", { name: "Pro" }).check();
  await dialog.getByRole("radio", { name: "Annual" }).check();
  await dialog.getByRole("button", { name: "Upgrade now" }).click();
  await dialog.waitFor({ state: "detached" });
}
