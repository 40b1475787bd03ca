import { sql } from "drizzle-orm";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import {
  ada,
  browser,
  expectInView,
  logInAsAdmin,
  noSidewaysScroll,
  settled,
  setupPlanBrowserWorld,
  signUpOnProAnnual,
  stack,
  url,
} from "../support/plan-browser-world.ts";
import { artifact, axeViolations, DESKTOP, newVisitor, PHONE } from "./harness.ts";

// One stack, one Chromium; each visitor is a context that signs in once. Ada starts where
// plan-member.e2e.test.ts leaves her (Pro, billed annually); the tests run in order and share the
// visitors, and axe-core then visits every page as the admin tests left them.
let member: BrowserContext;
let admin: BrowserContext;
setupPlanBrowserWorld(async () => {
  member = await newVisitor(browser);
  admin = await newVisitor(browser);
  const page = await member.newPage();
  await signUpOnProAnnual(page, ada.name, ada.email);
  await page.close();
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
