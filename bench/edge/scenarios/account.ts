import type { Scenario } from "../measure.ts";
import { keep, PASSWORD, type World } from "../world.ts";

/** Sign-up, log-in, the session's refresh and logout, and a profile change. */
export function accountScenarios(world: World): Scenario[] {
  const signup = "/api/auth/signup";
  const login = "/api/auth/login";
  const refresh = "/api/auth/refresh";
  const logout = "/api/auth/logout";
  const patch = "/api/user/profile";
  return [
    {
      endpoints: [{ label: `POST ${signup}`, kind: "change" }],
      start: async (target) => async () => {
        const email = world.newEmail();
        return {
          [`POST ${signup}`]: await target.call("POST", signup, {
            json: { email, password: PASSWORD, display_name: "Edge sign-up" },
          }),
        };
      },
    },
    {
      endpoints: [{ label: `POST ${login}`, kind: "change" }],
      start: async (target) => {
        const user = await world.newUser();
        return async () => ({
          [`POST ${login}`]: await target.call("POST", login, { json: { email: user.email, password: PASSWORD } }),
        });
      },
    },
    {
      // Each refresh token works once: every round presents the one the previous round got.
      endpoints: [{ label: `POST ${refresh}`, kind: "change" }],
      start: async (target) => {
        const user = await world.newUser();
        return async () => {
          const answer = await target.call("POST", refresh, { json: { refresh_token: user.refreshToken } });
          user.refreshToken = answer.body.refresh_token;
          return { [`POST ${refresh}`]: answer };
        };
      },
    },
    {
      endpoints: [{ label: `POST ${logout}`, kind: "change" }],
      start: async (target) => {
        const user = await world.newUser();
        return async () => {
          const session = await world.setup.call("POST", login, {
            json: { email: user.email, password: PASSWORD },
          });
          return {
            [`POST ${logout}`]: await target.call("POST", logout, {
              json: { refresh_token: session.body.refresh_token },
            }),
          };
        };
      },
    },
    {
      endpoints: [{ label: `PATCH ${patch}`, kind: "change" }],
      start: async (target) => {
        const user = await world.newUser();
        let round = 0;
        return async () => {
          round += 1;
          const answer = await target.call("PATCH", patch, {
            token: user.token,
            json: { bio: `Edge round ${round}` },
          });
          return { [`PATCH ${patch}`]: keep(user, answer) };
        };
      },
    },
  ];
}
