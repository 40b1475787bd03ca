import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScheduledPass } from "../../api/services/scheduled-pass.ts";
import { artifact, launchBrowser, newVisitor, type Stack, startStack } from "./harness.ts";

// The API runs on a clock this suite moves: a month passes between the owner's cancellation and
// the cron that ends the plan.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack({ clock });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const PASSWORD = "a good long password";
const plan = (page: Page) => page.getByRole("region", { name: "Your Plan" });

async function signUp(page: Page, name: string, email: string) {
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
}

describe("seats in Chromium", () => {
  it("invite → accept (signed out, then signed up) → the member has Family → the owner cancels → after the period the member is back on Member", async () => {
    const ownerEmail = `olivia-${Date.now()}@example.com`;
    const memberEmail = `max-${Date.now()}@example.com`;
    const owner = await newVisitor(browser);
    const member = await newVisitor(browser);
    try {
      const ownerPage = await owner.newPage();
      await ownerPage.goto(`${stack.webUrl}/signup`);
      await signUp(ownerPage, "Olivia", ownerEmail);
      await ownerPage.waitForURL(`${stack.webUrl}/profile`);
      await ownerPage.getByRole("button", { name: "Upgrade Plan" }).click();
      const upgrade = ownerPage.getByRole("dialog", { name: "Upgrade Your Plan" });
      await upgrade.getByRole("radio", { name: "Family" }).check();
      await upgrade.getByRole("radio", { name: "Monthly" }).check();
      await upgrade.getByRole("button", { name: "Upgrade now" }).click();
      await plan(ownerPage).locator('[data-tier="family"]').waitFor();

      const members = plan(ownerPage).getByRole("region", { name: "Members" });
      await members.getByText("1 of 6 seats used · 5 left").waitFor();
      await members.getByLabel("Invite by email").fill(memberEmail);
      await members.getByRole("button", { name: "Invite" }).click();
      const created = ownerPage.getByRole("dialog", { name: "Invitation created" });
      const link = await created.getByLabel("Invitation link").inputValue();
      const token = new URL(link).searchParams.get("token");
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await ownerPage.screenshot({ path: artifact("seats-invitation-link.png") });
      await created.getByRole("link", { name: "Close" }).click();
      await members.getByRole("list", { name: "Pending invitations" }).getByText(memberEmail).waitFor();

      // The link is on the API's configured origin; this stack's web server listens elsewhere.
      const memberPage = await member.newPage();
      await memberPage.goto(`${stack.webUrl}/seats/accept?token=${token}`);
      await memberPage.getByText(`Olivia invited ${memberEmail} to share their Family plan.`).waitFor();
      await memberPage.getByRole("link", { name: "Sign up to join" }).click();
      await signUp(memberPage, "Max", memberEmail);
      await memberPage.waitForURL(/\/seats\/accept\?token=/);
      await memberPage.getByRole("button", { name: "Join Olivia's plan" }).click();
      await memberPage.waitForURL(`${stack.webUrl}/profile`);
      await plan(memberPage).locator('[data-tier="family"]').waitFor();
      await plan(memberPage).getByText("Shared by Olivia").waitFor();
      await memberPage.screenshot({ path: artifact("seats-member-profile.png"), fullPage: true });

      await ownerPage.reload();
      await members.getByRole("list", { name: "Members" }).getByText("Max", { exact: true }).waitFor();
      await members.getByText("2 of 6 seats used · 4 left").waitFor();
      await ownerPage.getByRole("button", { name: "Manage Subscription" }).click();
      const manage = ownerPage.getByRole("dialog", { name: "Manage Subscription" });
      await manage.getByRole("checkbox").check();
      await manage.getByRole("button", { name: "Cancel Subscription" }).click();
      await manage.waitFor({ state: "detached" });
      await plan(ownerPage)
        .getByText(/Subscription cancelled/)
        .waitFor();

      // Until the period ends the member keeps Family.
      await memberPage.reload();
      await plan(memberPage).locator('[data-tier="family"]').waitFor();

      offsetMs += 32 * 24 * 60 * 60 * 1000;
      const due = await runScheduledPass(stack.api.db, { now: clock() });
      expect(due.expired).toBeGreaterThanOrEqual(1);

      // A month on, the member's session token has expired too: they sign in again.
      await memberPage.goto(`${stack.webUrl}/profile`);
      await memberPage.waitForURL(/\/login/);
      await memberPage.getByLabel("Email").fill(memberEmail);
      await memberPage.getByLabel("Password").fill(PASSWORD);
      await memberPage.getByRole("button", { name: "Log in" }).click();
      await memberPage.waitForURL(`${stack.webUrl}/profile`);
      await plan(memberPage).locator('[data-tier="member"]').waitFor();
      expect(await plan(memberPage).getByText("Shared by Olivia").count()).toBe(0);
      await memberPage.screenshot({ path: artifact("seats-member-after-cron.png"), fullPage: true });
    } finally {
      await owner.close();
      await member.close();
    }
  });
});

describe("seats in Chromium without JavaScript", () => {
  it("invites, and the invited user joins, with plain form posts", async () => {
    const owner = await newVisitor(browser, { javaScriptEnabled: false });
    const member = await newVisitor(browser, { javaScriptEnabled: false });
    const memberEmail = `nojs-${Date.now()}@example.com`;
    try {
      const ownerPage = await owner.newPage();
      await ownerPage.goto(`${stack.webUrl}/signup`);
      await signUp(ownerPage, "Bea", `bea-${Date.now()}@example.com`);
      await ownerPage.waitForURL(`${stack.webUrl}/profile`);
      await ownerPage.getByRole("button", { name: "Upgrade Plan" }).click();
      const upgrade = ownerPage.getByRole("dialog", { name: "Upgrade Your Plan" });
      await upgrade.getByRole("radio", { name: "Business" }).check();
      await upgrade.getByRole("button", { name: "Upgrade now" }).click();
      await plan(ownerPage).locator('[data-tier="business"]').waitFor();
      const members = plan(ownerPage).getByRole("region", { name: "Members" });
      await members.getByLabel("Invite by email").fill(memberEmail);
      await members.getByRole("button", { name: "Invite" }).click();
      const link = await ownerPage
        .getByRole("dialog", { name: "Invitation created" })
        .getByLabel("Invitation link")
        .inputValue();
      const token = new URL(link).searchParams.get("token");

      const memberPage = await member.newPage();
      await memberPage.goto(`${stack.webUrl}/seats/accept?token=${token}`);
      await memberPage.getByRole("link", { name: "Sign up to join" }).click();
      await signUp(memberPage, "Cy", memberEmail);
      await memberPage.waitForURL(/\/seats\/accept\?token=/);
      await memberPage.getByRole("button", { name: "Join Bea's plan" }).click();
      await memberPage.waitForURL(`${stack.webUrl}/profile`);
      await plan(memberPage).locator('[data-tier="business"]').waitFor();
      await plan(memberPage).getByRole("button", { name: "Leave shared plan" }).click();
      await memberPage.waitForURL(`${stack.webUrl}/profile`);
      await plan(memberPage).locator('[data-tier="member"]').waitFor();
    } finally {
      await owner.close();
      await member.close();
    }
  });
});
