import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { type ApiServerOptions, startApiServer } from "../../api/server/start-api-server.ts";
import { createUser } from "../../api/services/users.ts";
import { openPglite } from "../../db/client/pglite.ts";
import { users } from "../../db/schema.ts";
import { TEST_SIGNING_KEY } from "../support/test-app.ts";

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});
const freshFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), "tierkit-start-"));
  folders.push(folder);
  return join(folder, "pglite");
};

const admin = { email: "owner@example.com", password: "admin-password-for-tests" };
const options = (dataDir: string, extra: Partial<ApiServerOptions> = {}): ApiServerOptions => ({
  port: 0,
  dataDir,
  tokens: { signingKeys: [TEST_SIGNING_KEY], accessTokenTtlSeconds: 900 },
  accounts: { admin, demoMember: false },
  log: () => {},
  cronIntervalMs: 3_600_000,
  ...extra,
});

async function isAdmin(dataDir: string, email: string): Promise<boolean | undefined> {
  const handle = await openPglite(dataDir);
  try {
    return (await handle.db.select().from(users).where(eq(users.email, email)))[0]?.isAdmin;
  } finally {
    await handle.close();
  }
}

describe("ADMIN_EMAIL naming an existing account", () => {
  it("refuses to start instead of making someone's account admin, unless ADMIN_PROMOTE_EXISTING=true", async () => {
    const dataDir = freshFolder();
    const setup = await openPglite(dataDir);
    await setup.migrate();
    await createUser(
      setup.db,
      { email: admin.email, password: "the-owners-own-password", displayName: "Someone" },
      new Date(),
    );
    await setup.close();

    await expect(startApiServer(options(dataDir))).rejects.toThrow(
      /ADMIN_EMAIL names owner@example\.com, an existing account that is not an admin\. Set ADMIN_PROMOTE_EXISTING=true/,
    );
    expect(await isAdmin(dataDir, admin.email)).toBe(false);

    const server = await startApiServer(
      options(dataDir, { accounts: { admin, demoMember: false, promoteExisting: true } }),
    );
    try {
      // Promoted, and the password is still the owner's, not ADMIN_PASSWORD.
      const login = (password: string) =>
        fetch(`${server.url}/api/auth/login`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ email: admin.email, password }),
        });
      expect((await login(admin.password)).status).toBe(401);
      const owner = await login("the-owners-own-password");
      expect(owner.status).toBe(200);
      expect(((await owner.json()) as { user: { is_admin: boolean } }).user.is_admin).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("one process per PGlite folder", () => {
  it("refuses a second server on the same folder with a clear message and keeps the first one's writes", async () => {
    const dataDir = freshFolder();
    const first = await startApiServer(options(dataDir));
    try {
      const signup = await fetch(`${first.url}/api/auth/signup`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "kept@example.com", password: "a-good-password", display_name: "Kept" }),
      });
      expect(signup.status).toBe(201);
      expect(readFileSync(`${dataDir}.lock`, "utf8").trim()).toBe(String(process.pid));

      await expect(startApiServer(options(dataDir))).rejects.toThrow(
        `The PGlite database in ${dataDir} is in use by this process. Stop that tierkit first, or set DATABASE_URL to use PostgreSQL`,
      );
      const tiers = await fetch(`${first.url}/api/tiers`);
      expect(tiers.status).toBe(200);
      expect(await first.db.select().from(users).where(eq(users.email, "kept@example.com"))).toHaveLength(1);
    } finally {
      await first.close();
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    const reopened = await openPglite(dataDir);
    expect(await reopened.db.select().from(users).where(eq(users.email, "kept@example.com"))).toHaveLength(1);
    await reopened.close();
  });

  it("names another live process holding the lock, and takes over a lock whose process is gone", async () => {
    const dataDir = freshFolder();
    const other = spawn("sleep", ["30"]);
    try {
      writeFileSync(`${dataDir}.lock`, `${other.pid}\n`);
      await expect(openPglite(dataDir)).rejects.toThrow(`is in use by process ${other.pid}`);
    } finally {
      other.kill();
    }
    await new Promise((resolve) => other.once("exit", resolve));

    const handle = await openPglite(dataDir);
    try {
      expect(readFileSync(`${dataDir}.lock`, "utf8").trim()).toBe(String(process.pid));
    } finally {
      await handle.close();
    }
  });
});
