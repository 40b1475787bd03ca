import { randomUUID } from "node:crypto";
import { describe, it } from "vitest";
import { member, setupAdminSubscriptionsWorld, t } from "../support/admin-subscriptions-world.ts";
import { expectRefusal } from "../support/api-checks.ts";

setupAdminSubscriptionsWorld();

describe("admin access", () => {
  const someone = randomUUID();
  const routes: [string, string, unknown?][] = [
    ["GET", "/subscriptions"],
    ["POST", `/subscriptions/${someone}/assign-tier`, { tier_slug: "pro", billing_cycle: "monthly", reason: "x" }],
    ["GET", "/subscription-stats"],
    ["GET", `/subscriptions/${someone}/history`],
    ["GET", "/users"],
    ["GET", `/users/${someone}`],
  ];

  it.each(routes)("refuses a member's token on %s %s with 403 and changes nothing", async (method, path, json) => {
    await expectRefusal(
      t,
      () => t.request(method, `/api/admin${path}`, { token: member.token, json }),
      403,
      "forbidden",
    );
  });

  it.each(routes)("refuses %s %s without a token with 401", async (method, path, json) => {
    await expectRefusal(t, () => t.request(method, `/api/admin${path}`, { json }), 401, "unauthorized");
  });

  it("refuses a member who assigns a tier to themselves", async () => {
    await expectRefusal(
      t,
      () =>
        t.request("POST", `/api/admin/subscriptions/${member.id}/assign-tier`, {
          token: member.token,
          json: { tier_slug: "elite", billing_cycle: "annual", reason: "Because" },
        }),
      403,
      "forbidden",
    );
  });
});
