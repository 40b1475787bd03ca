import type pg from "pg";
import type { Answer, ApiClient } from "./api-client.ts";

export const PASSWORD = "edge bench password";

export interface User {
  id: string;
  email: string;
  /** The newest access token: a change answers with one carrying its new tier and version. */
  token: string;
  refreshToken: string;
}

export type PaidTier = "pro" | "business";

/** What the scenarios share: the setup client (the Worker with no delay), the database, an admin. */
export interface World {
  setup: ApiClient;
  db: pg.Pool;
  admin: User;
  /** A service key with usage:write. */
  serviceKey: string;
  newUser(tier?: PaidTier): Promise<User>;
  newEmail(): string;
}

/** Takes the fresh token a change answers with, so the user's next request carries it. */
export function keep(user: User, answer: Answer): Answer {
  if (typeof answer.body.token === "string") user.token = answer.body.token;
  return answer;
}

export async function createWorld(setup: ApiClient, db: pg.Pool): Promise<World> {
  let emails = 0;
  const newEmail = () => {
    emails += 1;
    return `edge-${emails}@example.com`;
  };
  const newUser = async (tier?: PaidTier): Promise<User> => {
    const email = newEmail();
    const { body } = await setup.call("POST", "/api/auth/signup", {
      json: { email, password: PASSWORD, display_name: `Edge ${emails}` },
    });
    const user: User = { id: body.user.id, email, token: body.token, refreshToken: body.refresh_token };
    if (tier) {
      keep(
        user,
        await setup.call("POST", "/api/user/subscription/upgrade", {
          token: user.token,
          json: { tier_slug: tier, billing_cycle: "monthly" },
        }),
      );
    }
    return user;
  };

  const admin = await newUser();
  await db.query("UPDATE users SET is_admin = true WHERE id = $1", [admin.id]);
  const login = await setup.call("POST", "/api/auth/login", { json: { email: admin.email, password: PASSWORD } });
  admin.token = login.body.token;
  admin.refreshToken = login.body.refresh_token;
  const key = await setup.call("POST", "/api/admin/service-keys", {
    token: admin.token,
    json: { name: "edge bench", scopes: ["usage:write"] },
  });
  return { setup, db, admin, serviceKey: key.body.key, newUser, newEmail };
}
