import type { Kind, Scenario } from "../measure.ts";
import type { World } from "../world.ts";

function read(label: string, kind: Kind, path: string, token?: string): Scenario {
  return {
    endpoints: [{ label, kind }],
    start: async (target) => async () => ({ [label]: await target.call("GET", path, { token }) }),
  };
}

/**
 * The first GET /api/tiers of a Worker reads the catalog; the isolate keeps it for five minutes. Run
 * before anything else, and once: it happens once per Worker.
 */
export function firstTiersRead(): Scenario {
  const label = "GET /api/tiers (first: reads the catalog)";
  return { ...read(label, "read", "/api/tiers"), rounds: { warmup: 0, samples: 1 } };
}

/** Every read, by a Business owner with a pending invitation, and the admin's reads about that owner. */
export async function readScenarios(world: World): Promise<Scenario[]> {
  const owner = await world.newUser("business");
  const invited = await world.setup.call("POST", "/api/user/seats/invitations", {
    token: owner.token,
    json: { email: world.newEmail() },
  });
  const invitationToken = new URL(invited.body.accept_url).searchParams.get("token") as string;
  const admin = world.admin.token;
  return [
    read("GET /api/tiers (warm)", "cached", "/api/tiers"),
    read("GET /.well-known/jwks.json", "read", "/.well-known/jwks.json"),
    read("GET /api/user/profile", "read", "/api/user/profile", owner.token),
    read("GET /api/user/subscription", "read", "/api/user/subscription", owner.token),
    read("GET /api/user/entitlements", "read", "/api/user/entitlements", owner.token),
    read("GET /api/features/priority-support", "read", "/api/features/priority-support", owner.token),
    read("GET /api/user/seats", "read", "/api/user/seats", owner.token),
    read("GET /api/seats/invitation", "read", `/api/seats/invitation?token=${invitationToken}`),
    read("GET /api/admin/subscriptions", "read", "/api/admin/subscriptions?page=1&limit=20", admin),
    read("GET /api/admin/subscription-stats", "read", "/api/admin/subscription-stats", admin),
    read("GET /api/admin/subscriptions/:id/history", "read", `/api/admin/subscriptions/${owner.id}/history`, admin),
    read("GET /api/admin/users", "read", "/api/admin/users?page=1&limit=20", admin),
    read("GET /api/admin/users/:id", "read", `/api/admin/users/${owner.id}`, admin),
    read("GET /api/admin/users/:id/seats", "read", `/api/admin/users/${owner.id}/seats`, admin),
  ];
}
