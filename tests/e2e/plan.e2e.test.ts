import { eq, sql } from "drizzle-orm";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { users } from "../../db/schema.ts";
import {
  ADMIN,
  artifact,
  axeViolations,
  DESKTOP,
  launchBrowser,
  newVisitor,
  PHONE,
  type Stack,
  startStack,
} from "./harness.ts";

// One stack, one Chromium; each visitor is a context that signs in once. The tests run in order
// and share these visitors, as one person clicking through the product would.
let stack: Stack;
let browser: Browser;
let member: BrowserContext;
let admin: BrowserContext;

const PASSWORD = "a good long password";
const ada = { name: "Ada", email: `ada-${Date.now()}@example.com` };
const url = (path: string) => `${stack.webUrl}${path}`;

beforeAll(async () => {
  stack = await startStack();
  // A sixth tier, added the way a migration would, before anything has read the catalog.
  await stack.api.db.execute(sql`INSERT INTO user_tiers (slug, name, description, tier_level, monthly_price_cents, annual_price_cents, features)
    VALUES ('studio', 'Studio', 'For studios that need room for everyone.', 6, 12900, 129000, '{}')`);
  browser = await launchBrowser();
  member = await newVisitor(browser);
  admin = await newVisitor(browser);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function signUp(page: Page, name: string, email: string) {
  await page.goto(url("/signup"));
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL(url("/profile"));
}

async function logInAsAdmin(page: Page) {
  await page.goto(url("/login"));
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(url("/admin/subscriptions"));
}

const plan = (page: Page) => page.getByRole("region", { name: "Your Plan" });
const upgradeDialog = (page: Page) => page.getByRole("dialog", { name: "Upgrade Your Plan" });

/** Hydrated: the dialog was re-opened as a modal (or the page's scripts ran). */
async function settled(page: Page) {
  await page.waitForLoadState("networkidle");
}

/** The element is on screen and nothing covers its centre: a person can see and press it. */
async function expectInView(page: Page, locator: Locator) {
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

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
}

describe("a member, in Chromium with JavaScript", () => {
  it("sees plans and prices that tell the truth, signed out and as a member", async () => {
    const page = await member.newPage();
    await page.goto(url("/pricing"));
    const studio = page.locator('[data-plan="studio"]');
    await studio.getByRole("heading", { name: "Studio" }).waitFor();
    expect(await studio.innerText()).toContain("$129.00/month");
    expect(await page.locator('[data-plan="family"]').innerText()).toContain("1 TB storage");
    await page.getByRole("navigation", { name: "Billing cycle" }).getByRole("link", { name: "Annual" }).click();
    await page.waitForURL(/cycle=annual/);
    // The URL changes before the client-side navigation renders the annual prices: wait for them.
    await expect.poll(() => studio.innerText()).toMatch(/\$1,290\.00\/year\s+Billed annually/);
    expect(await page.locator('[data-plan="member"]').getByRole("link", { name: "Start free" }).count()).toBe(1);
    await page.screenshot({ path: artifact("pricing-annual.png"), fullPage: true });

    await signUp(page, ada.name, ada.email);
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Welcome to tierkit, Ada!");
    expect(await plan(page).innerText()).toMatch(/You pay\s+Nothing: this plan is free/);
    expect(await plan(page).innerText()).not.toContain("Next billing");

    await page.goto(url("/pricing?cycle=annual"));
    const current = page.locator('[data-plan="member"]');
    expect(await current.innerText()).toContain("Your current plan");
    expect(await page.getByRole("link", { name: "Start free" }).count()).toBe(0);
    await page.locator('[data-plan="business"]').getByRole("link", { name: "Choose Business" }).click();
    const dialog = upgradeDialog(page);
    await dialog.waitFor();
    await settled(page);
    // "Choose Business" carries Business (and annual) into the dialog; the current plan is marked, not chosen.
    expect(await dialog.getByRole("radio", { name: "Business" }).isChecked()).toBe(true);
    expect(await dialog.getByRole("radio", { name: "Annual" }).isChecked()).toBe(true);
    const currentRadio = dialog.getByRole("radio", { name: "Member (current plan)" });
    expect(await currentRadio.isChecked()).toBe(false);
    expect(await currentRadio.isDisabled()).toBe(true);
    expect(await dialog.locator('[data-plan="member"]').innerText()).toContain("Current");
    expect(await dialog.locator('[data-plan="studio"]').count()).toBe(1);
    const summary = dialog.getByRole("region", { name: "Summary" });
    expect(await summary.innerText()).toMatch(/From Member to\s+Business\s*, billed annually: \$299\.90\/year/);
    expect(await summary.innerText()).toContain("No payment provider is configured");
    expect(await dialog.innerText()).not.toMatch(/Request Upgrade|our team contacts you/);
    await dialog.getByRole("radio", { name: "Monthly" }).check();
    expect(await summary.innerText()).toMatch(/billed monthly: \$29\.99\/month/);
  });

  it("keeps the upgrade button in view at 1280×800 and 390×844", async () => {
    const page = await member.newPage();
    for (const [viewport, name] of [
      [DESKTOP, "upgrade-dialog-desktop.png"],
      [PHONE, "upgrade-dialog-phone.png"],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.goto(url("/profile/upgrade"));
      const dialog = upgradeDialog(page);
      await dialog.waitFor();
      await settled(page);
      // The first real upgrade is preselected, never the current plan.
      expect(await dialog.getByRole("radio", { name: "Pro" }).isChecked()).toBe(true);
      const button = dialog.getByRole("button", { name: "Upgrade now" });
      await expectInView(page, button);
      expect(await button.isEnabled()).toBe(true);
      await page.screenshot({ path: artifact(name) });
    }
    await page.setViewportSize(DESKTOP);

    // Escape closes it and focus returns to the button that opened it.
    await page.goto(url("/profile"));
    const trigger = page.getByRole("button", { name: "Upgrade Plan" });
    await trigger.click();
    await upgradeDialog(page).waitFor();
    await expect.poll(() => upgradeDialog(page).evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press("Escape");
    await upgradeDialog(page).waitFor({ state: "detached" });
    await expect.poll(() => trigger.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.close();
  });

  it("upgrades to Pro annual and says what it costs and what happens next", async () => {
    const page = await member.newPage();
    await page.goto(url("/profile"));
    await page.getByRole("button", { name: "Upgrade Plan" }).click();
    const dialog = upgradeDialog(page);
    await dialog.getByRole("radio", { name: "Pro" }).check();
    await dialog.getByRole("radio", { name: "Annual" }).check();
    await dialog.getByRole("button", { name: "Upgrade now" }).click();
    await dialog.waitFor({ state: "detached" });
    await expect
      .poll(() => page.getByRole("status").textContent())
      .toMatch(/Your plan is now Pro, billed annually\. It renews on .* \(UTC\)\./);
    const text = await plan(page).innerText();
    expect(text).toMatch(/You pay\s+\$99\.90\/year \(billed annually\)/);
    expect(text).toMatch(/What happens next\s+Renews on [A-Z][a-z]{2} \d{1,2}, \d{4} \(UTC\)\./);

    await page.getByRole("button", { name: "Manage Subscription" }).click();
    const manage = page.getByRole("dialog", { name: "Manage Subscription" });
    expect(await manage.innerText()).toMatch(/downgrade[\s\S]*cancelling/i);
    await manage.getByLabel("New plan").selectOption("member");
    await manage.getByRole("button", { name: "Schedule Downgrade" }).click();
    await manage.waitFor({ state: "detached" });
    expect(await plan(page).innerText()).toMatch(
      /What happens next\s+Changes to Member on [A-Z][a-z]{2} \d{1,2}, \d{4} \(UTC\)\./,
    );
    await page.screenshot({ path: artifact("profile-desktop.png"), fullPage: true });
    await page.close();
  });

  it("shows a refusal inside the dialog that caused it, and lets it be dismissed", async () => {
    const stale = await member.newPage();
    await stale.goto(url("/profile/manage"));
    const manage = stale.getByRole("dialog", { name: "Manage Subscription" });
    expect(await manage.innerText()).toContain("A downgrade to Member is scheduled");
    expect(await manage.innerText()).toContain("Cancelling drops the scheduled downgrade to Member.");
    await settled(stale);

    // Undone in another tab: the open dialog's Undo is now refused by the API.
    const other = await member.newPage();
    await other.goto(url("/profile"));
    await plan(other).getByRole("button", { name: "Undo downgrade" }).click();
    await plan(other).getByText("Renews on").waitFor();
    await other.close();

    await manage.getByRole("button", { name: "Undo downgrade" }).click();
    const alert = stale.getByRole("dialog", { name: "Manage Subscription" }).getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/No downgrade is scheduled/);
    await stale.screenshot({ path: artifact("dialog-error.png") });
    await alert.getByRole("link", { name: "Dismiss error" }).click();
    await alert.waitFor({ state: "detached" });
    await stale.getByRole("dialog", { name: "Manage Subscription" }).waitFor();
    await stale.close();
  });

  it("gets a 403 page with a way back that fits a member", async () => {
    const page = await member.newPage();
    expect(await page.goto(url("/admin/subscriptions")).then((res) => res?.status())).toBe(403);
    await page.getByRole("heading", { name: "Access denied" }).waitFor();
    await page.getByRole("link", { name: "Go to your profile" }).waitFor();
    await page.close();
  });
});

describe("an admin, in Chromium with JavaScript", () => {
  it("sees totals that match, MRR, and every tier in the filters and the chart", async () => {
    const page = await admin.newPage();
    await logInAsAdmin(page);
    const card = (title: string) => page.getByRole("heading", { name: title, exact: true }).locator("xpath=../..");
    const total = Number((await card("Total Subscriptions").locator("p").first().innerText()).replace(/,/g, ""));
    expect(await page.getByRole("navigation", { name: "Pagination" }).innerText()).toContain(`of ${total}`);
    // Ada pays $99.90 a year: $8.33 a month.
    expect(await card("MRR").innerText()).toContain("$8.33");
    expect(await card("Paid Users").innerText()).toMatch(/\n1\n/);

    const filter = page.getByRole("search", { name: "Filter subscriptions" });
    expect(await filter.getByLabel("Tier").locator("option").allInnerTexts()).toContain("Studio");
    const chart = page.getByRole("region", { name: "Tier breakdown" });
    await chart.locator('[data-tier="studio"]').waitFor();
    await page.screenshot({ path: artifact("admin-subscriptions.png"), fullPage: true });
    await page.close();
  });

  it("assigns the sixth tier with an explicit choice, names who and what, and counts it as paid", async () => {
    const page = await admin.newPage();
    await page.goto(url(`/admin/users?q=${encodeURIComponent(ada.email)}`));
    await page.getByRole("button", { name: `Assign tier to ${ada.email}` }).click();
    const assign = page.getByRole("dialog", { name: "Assign tier" });
    await assign.waitFor();
    await settled(page);
    expect(await assign.innerText()).toContain(ada.email);
    expect(await assign.innerText()).toMatch(/now on Pro, billed annually/);
    const tier = assign.getByLabel("Tier");
    expect(await tier.inputValue()).toBe("");
    expect(await assign.getByLabel("Billing cycle").isVisible()).toBe(false);
    await tier.selectOption("member");
    expect(await assign.getByLabel("Billing cycle").isVisible()).toBe(false);
    await tier.selectOption("studio");
    expect(await assign.getByLabel("Billing cycle").isVisible()).toBe(true);
    await assign.getByLabel("Billing cycle").selectOption("annual");
    await assign.getByLabel("Reason").fill("Studio pilot");
    await assign.getByRole("button", { name: "Assign tier" }).click();
    await assign.waitFor({ state: "detached" });
    await expect
      .poll(() => page.getByRole("status").textContent())
      .toContain(`\u2068Ada\u2069 (${ada.email}) is now on Studio, billed annually.`);
    await page.getByRole("table", { name: "Users" }).locator('[data-tier="studio"]').waitFor();

    // The same assignment again changes nothing: refused, and said inside the dialog.
    await page.getByRole("button", { name: `Assign tier to ${ada.email}` }).click();
    await assign.getByLabel("Tier").selectOption("studio");
    await assign.getByLabel("Billing cycle").selectOption("annual");
    await assign.getByLabel("Reason").fill("Again");
    await assign.getByRole("button", { name: "Assign tier" }).click();
    await assign
      .getByRole("alert")
      .getByText(/already on Studio/)
      .waitFor();

    await page.goto(url("/admin/subscriptions"));
    const paid = page.getByRole("heading", { name: "Paid Users", exact: true }).locator("xpath=../..");
    expect(await paid.innerText()).toMatch(/\n1\n/);
    expect(
      await page
        .getByRole("region", { name: "Tier breakdown" })
        .locator("li", { has: page.locator('[data-tier="studio"]') })
        .innerText(),
    ).toMatch(/\b1 \(\d+%\)/);
    await page.close();
  });

  it("works at 390 px: rows as cards, nothing cut off, no sideways scrolling", async () => {
    const page = await admin.newPage();
    await page.setViewportSize(PHONE);
    for (const path of ["/admin/subscriptions", "/admin/users"]) {
      await page.goto(url(path));
      await noSidewaysScroll(page);
      const cards = page.getByRole("list", { name: path.endsWith("users") ? "Users" : "Subscriptions" });
      await cards.waitFor();
      expect(await page.getByRole("table").count()).toBe(0);
      const first = cards.getByRole("button", { name: /Assign tier to/ }).first();
      await first.scrollIntoViewIfNeeded();
      await expectInView(page, first);
      await page.screenshot({ path: artifact(`admin${path.replaceAll("/", "-")}-phone.png`), fullPage: true });
    }
    await page.close();
  });

  it("answers 404 in plain words for an address that is not a user", async () => {
    const page = await admin.newPage();
    expect(await page.goto(url("/admin/users/not-a-uuid")).then((res) => res?.status())).toBe(404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await page.getByText("There is no such user.").waitFor();
    await page.close();
  });
});

describe("signed out", () => {
  it("gets a 404 page whose way back fits a visitor, and field errors next to the fields", async () => {
    const context = await newVisitor(browser);
    const page = await context.newPage();
    // The web server runs in this process: a 404 must not reach its error log.
    const errors = vi.spyOn(console, "error");
    try {
      expect(await page.goto(url("/no-such-page")).then((res) => res?.status())).toBe(404);
      await page.getByRole("heading", { name: "Page not found" }).waitFor();
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
    expect(await page.getByRole("link", { name: "Go to your profile" }).count()).toBe(0);
    await page.getByRole("main").getByRole("link", { name: "Log in" }).waitFor();

    await page.goto(url("/signup"));
    await page.getByLabel("Display name").fill("Bob");
    await page.getByLabel("Email").fill(ada.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    const email = page.getByLabel("Email");
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await email.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`[id="${describedBy.split(" ").at(-1)}"]`).innerText()).toMatch(/already exists/);
    await context.close();
  });
});

describe("in Chromium without JavaScript", () => {
  it("upgrades with plain form posts, and the summary never names another plan", async () => {
    const context = await newVisitor(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signUp(page, "Lin", `lin-${Date.now()}@example.com`);
    await page.getByRole("button", { name: "Upgrade Plan" }).click();
    const dialog = upgradeDialog(page);
    await dialog.waitFor();
    const summary = await dialog.getByRole("region", { name: "Summary" }).innerText();
    expect(summary).toContain("the plan selected above");
    expect(summary).not.toMatch(/From Member to/);
    await dialog.getByRole("radio", { name: "Elite" }).check();
    await dialog.getByRole("radio", { name: "Annual" }).check();
    await dialog.getByRole("button", { name: "Upgrade now" }).click();
    await page.waitForURL(url("/profile"));
    expect(await plan(page).innerText()).toMatch(/You pay\s+\$499\.90\/year/);
    await page.screenshot({ path: artifact("profile-no-js.png"), fullPage: true });
    await context.close();
  });
});

describe("axe-core", () => {
  // 36 pages on the CI's 2 cores: more time than one flow needs.
  it("finds no violations on any page, desktop and phone, signed out, as a member and as an admin", {
    timeout: 240_000,
  }, async () => {
    const visitor = await newVisitor(browser);
    const [row] = await queryRows<{ id: string }>(stack.api.db, sql`SELECT id FROM users WHERE email = ${ada.email}`);
    const id = row?.id;
    const pages: [BrowserContext, string][] = [
      [visitor, "/"],
      [visitor, "/pricing"],
      [visitor, "/pricing?cycle=annual"],
      [visitor, "/login"],
      [visitor, "/signup"],
      [visitor, "/no-such-page"],
      [member, "/profile"],
      [member, "/profile/upgrade"],
      [member, "/profile/manage"],
      [member, "/pricing"],
      [member, "/admin/subscriptions"],
      [admin, "/admin/subscriptions"],
      [admin, "/admin/subscriptions?status=all"],
      [admin, `/admin/subscriptions?assign=${id}`],
      [admin, "/admin/users"],
      [admin, `/admin/users?assign=${id}`],
      [admin, `/admin/users/${id}`],
      [admin, "/admin/users/not-a-uuid"],
    ];
    const found: string[] = [];
    for (const viewport of [DESKTOP, PHONE]) {
      // One tab per visitor and screen size, reused page after page.
      const tabs = new Map<BrowserContext, Page>();
      for (const [context, path] of pages) {
        let page = tabs.get(context);
        if (!page) {
          page = await context.newPage();
          await page.setViewportSize(viewport);
          tabs.set(context, page);
        }
        await page.goto(url(path));
        await settled(page);
        for (const violation of await axeViolations(page)) {
          const who = context === visitor ? "visitor" : context === member ? "member" : "admin";
          found.push(
            `${viewport.width}px ${who} ${path}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes.join(", ")}`,
          );
        }
      }
      for (const page of tabs.values()) await page.close();
    }
    await visitor.close();
    expect(found).toEqual([]);
  });
});

describe("security headers in Chromium", () => {
  it("serves pages under a nonce CSP that Remix's scripts satisfy (the page hydrates), and signed-in pages uncached", async () => {
    const visitor = await newVisitor(browser);
    try {
      const page = await visitor.newPage();
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
      await visitor.close();
    }
  });
});
