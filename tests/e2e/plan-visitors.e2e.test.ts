import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { users } from "../../db/schema.ts";
import {
  ada,
  browser,
  PASSWORD,
  plan,
  setupPlanBrowserWorld,
  signUp,
  stack,
  upgradeDialog,
  url,
} from "../support/plan-browser-world.ts";
import { artifact, newVisitor } from "./harness.ts";

// Visitors who arrive signed out, each in a context of their own. Ada's account exists already, so
// that signing up with her email again is refused.
setupPlanBrowserWorld(async () => {
  const context = await newVisitor(browser);
  await signUp(await context.newPage(), ada.name, ada.email);
  await context.close();
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
