import type { Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../db/schema.ts";
import { ADMIN, artifact, launchBrowser, startStack, type Stack } from "./harness.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const PASSWORD = "a good long password";

async function signUp(page: Page, name: string, email: string) {
  await page.goto(`${stack.webUrl}/signup`);
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL(`${stack.webUrl}/profile`);
}

function plan(page: Page) {
  return page.getByRole("region", { name: "Your Plan" });
}

async function upgradeToProAnnual(page: Page) {
  await page.getByRole("button", { name: "Upgrade Plan" }).click();
  const dialog = page.getByRole("dialog", { name: "Upgrade Your Plan" });
  await dialog.waitFor();
  await dialog.getByRole("radio", { name: "Pro" }).check();
  await dialog.getByRole("radio", { name: "Annual" }).check();
  await dialog.getByRole("button", { name: "Request Upgrade" }).click();
  await page.waitForURL(`${stack.webUrl}/profile`);
  await dialog.waitFor({ state: "detached" });
}

async function expectProWithNextBilling(page: Page) {
  await plan(page).locator('[data-tier="pro"]').waitFor();
  const text = await plan(page).innerText();
  expect(text).toMatch(/Billing cycle\s+Annual/);
  expect(text).toMatch(/Next billing\s+[A-Z][a-z]{2} \d{1,2}, \d{4}/);
}

describe("in Chromium, with JavaScript", () => {
  const email = `ada-${Date.now()}@example.com`;

  it("signs up, upgrades to Pro annual, schedules a downgrade; the admin assigns Elite with a reason", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await signUp(page, "Ada", email);

      const cookies = await browser.context.cookies();
      expect(cookies.find((c) => c.name === "__tierkit_session")).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true });
      expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);

      await plan(page).locator('[data-tier="member"]').waitFor();
      expect(await plan(page).innerText()).toContain("Member");
      await expect.poll(() => page.getByRole("status").textContent()).toContain("Welcome to tierkit, Ada!");

      // The dialog takes focus, Escape closes it and focus returns to the button that opened it.
      const trigger = page.getByRole("button", { name: "Upgrade Plan" });
      await trigger.click();
      const dialog = page.getByRole("dialog", { name: "Upgrade Your Plan" });
      await dialog.waitFor();
      await expect.poll(() => dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
      await dialog.getByRole("radio", { name: "Annual" }).check();
      expect(await dialog.getByRole("region", { name: "Summary" }).innerText()).toMatch(/billed\s+annual/);
      await page.screenshot({ path: artifact("upgrade-dialog-desktop.png") });
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      await expect.poll(() => trigger.evaluate((el) => el === document.activeElement)).toBe(true);

      await upgradeToProAnnual(page);
      await expectProWithNextBilling(page);
      await expect.poll(() => page.getByRole("status").textContent()).toContain("Your plan is now Pro");

      await page.getByRole("button", { name: "Manage Subscription" }).click();
      const manage = page.getByRole("dialog", { name: "Manage Subscription" });
      await manage.getByLabel("New plan").selectOption("member");
      await manage.getByLabel("Reason (optional)").fill("Trying it out first");
      await manage.getByRole("button", { name: "Schedule Downgrade" }).click();
      await manage.waitFor({ state: "detached" });
      await plan(page).getByText(/Downgrade to Member scheduled for/).waitFor();
      await plan(page).getByRole("button", { name: "Undo downgrade" }).waitFor();
      await page.screenshot({ path: artifact("profile-desktop.png"), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: artifact("profile-phone.png"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });

      // A member sees no admin links and gets the 403 page.
      expect(await page.getByRole("link", { name: "Subscriptions" }).count()).toBe(0);
      await page.goto(`${stack.webUrl}/admin/subscriptions`);
      await page.getByRole("heading", { name: "Access denied" }).waitFor();

      await page.getByRole("button", { name: "Log out" }).click();
      await page.getByRole("link", { name: "Log in" }).click();
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.waitForURL(`${stack.webUrl}/admin/subscriptions`);
      await page.getByRole("heading", { name: "Subscription Management" }).waitFor();
      for (const title of ["Total Subscriptions", "Active", "Paid Users", "Free Users"]) {
        await page.getByRole("heading", { name: title, exact: true }).waitFor();
      }
      await page.getByRole("search", { name: "Filter subscriptions" }).getByLabel("Tier").selectOption("pro");
      await page.waitForURL(/tier=pro/);
      // Unfiltered, the user's replaced Member subscription is listed too; filtered, only the Pro one.
      const listed = page.getByRole("table", { name: "Subscriptions" }).getByText(email, { exact: true });
      await expect.poll(() => listed.count()).toBe(1);
      await page.screenshot({ path: artifact("admin-subscriptions.png"), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: artifact("admin-subscriptions-phone.png"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });

      await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Users" }).click();
      await page.getByLabel("Search by email").fill(email);
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/q=/);
      await page.getByRole("button", { name: `Assign tier to ${email}` }).click();
      const assign = page.getByRole("dialog", { name: "Assign tier" });
      await assign.getByLabel("Tier").selectOption("elite");
      await assign.getByLabel("Reason").fill("Conference speaker");
      await assign.getByRole("button", { name: "Assign tier" }).click();
      await assign.waitFor({ state: "detached" });
      await page.getByRole("row", { name: /Ada/ }).locator('[data-tier="elite"]').waitFor();

      await page.getByRole("link", { name: "Ada" }).click();
      const history = page.getByRole("region", { name: "Subscription history" });
      const row = history.getByRole("row", { name: /Conference speaker/ });
      await row.waitFor();
      expect(await row.innerText()).toMatch(/Assigned[\s\S]*Admin action/);
      expect(await row.locator('[data-tier="elite"]').count()).toBe(1);
      await page.screenshot({ path: artifact("admin-user-history.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

describe("in Chromium, without JavaScript", () => {
  it("signs up and upgrades to Pro annual with plain form posts", async () => {
    const browser = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await browser.context.newPage();
      await signUp(page, "Lin", `lin-${Date.now()}@example.com`);
      await plan(page).locator('[data-tier="member"]').waitFor();
      await upgradeToProAnnual(page);
      await expectProWithNextBilling(page);
      await page.screenshot({ path: artifact("profile-no-js.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

describe("security headers in Chromium", () => {
  it("serves pages under a nonce CSP that Remix's scripts satisfy (the page hydrates), and signed-in pages uncached", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/content security policy/i.test(message.text())) violations.push(message.text());
      });
      page.on("pageerror", (error) => violations.push(error.message));

      const pricing = await page.goto(`${stack.webUrl}/pricing`);
      const headers = pricing?.headers() ?? {};
      const csp = headers["content-security-policy"] ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain("frame-ancestors 'none'");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(headers["cache-control"]).toBeUndefined();
      const scripts = (await pricing?.text())?.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      await page.waitForFunction(() => "__remixRouter" in window);

      await signUp(page, "Csp", `csp-${Date.now()}@example.com`);
      const profile = await page.goto(`${stack.webUrl}/profile`);
      expect(profile?.headers()["cache-control"]).toBe("no-store");
      expect(violations).toEqual([]);

      // A form posted from another site is refused by the web server, before Remix (whose own check is a 500).
      const email = `csrf-${Date.now()}@example.com`;
      const forged = await fetch(`${stack.webUrl}/signup`, {
        method: "POST",
        headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ display_name: "Mallory", email, password: PASSWORD }),
        redirect: "manual",
      });
      expect(forged.status).toBe(403);
      expect(await stack.api.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    } finally {
      await browser.close();
    }
  });
});
