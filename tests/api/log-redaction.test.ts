import { DrizzleQueryError, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { logJson } from "../../api/lib/log-json.ts";
import { users } from "../../db/schema.ts";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  // Every insert into users fails inside the database, after the app has hashed the password.
  await t.db.execute(
    sql.raw(`CREATE FUNCTION refuse_users() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'inserts into users are switched off for this test'; END $$`),
  );
  await t.db.execute(
    sql.raw("CREATE TRIGGER refuse_users BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse_users()"),
  );
});
afterAll(() => t.close());

describe("logs of a failed statement", () => {
  it("keep the statement and the database's reason but withhold its parameters (email, password hash)", async () => {
    const email = "secret-person@example.com";
    const res = await t.request("POST", "/api/auth/signup", {
      json: { email, password: TEST_PASSWORD, display_name: "Secret Person" },
    });
    expect(res.status).toBe(500);
    expect(await t.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);

    const logged = JSON.stringify(t.logs);
    // The sign-up's statement writes the user (and its session) in a CTE.
    expect(logged).toContain('Failed query: with \\"account\\" as (insert into \\"users\\"');
    expect(logged).toContain("withheld");
    expect(logged).toContain("inserts into users are switched off for this test");
    expect(logged).not.toContain(email);
    expect(logged).not.toContain("Secret Person");
    expect(logged).not.toContain("pbkdf2");
  });

  it("logJson describes an Error value the same way, stack included", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const failure = new DrizzleQueryError(
        'select * from "users" where "email" = $1',
        ["someone@example.com"],
        new Error("boom"),
      );
      logJson({ level: "error", msg: "cron.failed", error: failure });
      const line = String(spy.mock.calls[0]?.[0]);
      expect(JSON.parse(line).error).toMatchObject({ message: expect.stringContaining("(1 withheld)"), cause: "boom" });
      expect(line).not.toContain("someone@example.com");
    } finally {
      spy.mockRestore();
    }
  });
});
