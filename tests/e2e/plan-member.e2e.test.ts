import type { BrowserContext } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  ada,
  browser,
  expectInView,
  plan,
  settled,
  setupPlanBrowserWorld,
  signUp,
  upgradeDialog,
  upgradeToProAnnual,
  url,
} from "../support/plan-browser-world.ts";
import { artifact, DESKTOP, newVisitor, PHONE } from "./harness.ts";

// One stack, one Chromium; the member is a context that signs up once. The tests run in order and
// share it, as one person clicking through the product would.
let member: BrowserContext;
setupPlanBrowserWorld(async () => {
  member = await newVisitor(browser);
});

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
    await upgradeToProAnnual(page);
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
