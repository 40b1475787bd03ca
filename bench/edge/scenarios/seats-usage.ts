import { randomUUID } from "node:crypto";
import type { ApiClient } from "../api-client.ts";
import type { Scenario } from "../measure.ts";
import { keep, type User, type World } from "../world.ts";

const INVITE = "POST /api/user/seats/invitations";
const REVOKE = "DELETE /api/user/seats/invitations/:id";
const ACCEPT = "POST /api/seats/accept";
const LEAVE = "DELETE /api/user/seat";
const REMOVE = "DELETE /api/user/seats/:user_id";

const tokenOf = (acceptUrl: string) => new URL(acceptUrl).searchParams.get("token") as string;

function invite(client: ApiClient, owner: User, email: string) {
  return client.call("POST", "/api/user/seats/invitations", { token: owner.token, json: { email } });
}

/** The seat changes on a Business plan: inviting and revoking, accepting and leaving, removing a member. */
export function seatScenarios(world: World): Scenario[] {
  return [
    {
      endpoints: [
        { label: INVITE, kind: "change" },
        { label: REVOKE, kind: "change" },
      ],
      start: async (target) => {
        const owner = await world.newUser("business");
        return async () => {
          const invited = await invite(target, owner, world.newEmail());
          const revoked = await target.call("DELETE", `/api/user/seats/invitations/${invited.body.invitation.id}`, {
            token: owner.token,
          });
          return { [INVITE]: invited, [REVOKE]: revoked };
        };
      },
    },
    {
      endpoints: [
        { label: ACCEPT, kind: "change" },
        { label: LEAVE, kind: "change" },
      ],
      start: async (target) => {
        const [owner, member] = [await world.newUser("business"), await world.newUser()];
        return async () => {
          const invited = await invite(world.setup, owner, member.email);
          const accepted = await target.call("POST", "/api/seats/accept", {
            token: member.token,
            json: { token: tokenOf(invited.body.accept_url) },
          });
          keep(member, accepted);
          const left = keep(member, await target.call("DELETE", "/api/user/seat", { token: member.token }));
          return { [ACCEPT]: accepted, [LEAVE]: left };
        };
      },
    },
    {
      endpoints: [{ label: REMOVE, kind: "change" }],
      start: async (target) => {
        const [owner, member] = [await world.newUser("business"), await world.newUser()];
        return async () => {
          const invited = await invite(world.setup, owner, member.email);
          const json = { token: tokenOf(invited.body.accept_url) };
          keep(member, await world.setup.call("POST", "/api/seats/accept", { token: member.token, json }));
          return { [REMOVE]: await target.call("DELETE", `/api/user/seats/${member.id}`, { token: owner.token }) };
        };
      },
    },
  ];
}

/** A service counting a Pro user's messages, without and with an Idempotency-Key. */
export function usageScenarios(world: World): Scenario[] {
  return [false, true].map((keyed) => {
    const label = `POST /api/usage/messages/consume${keyed ? " (Idempotency-Key)" : ""}`;
    return {
      endpoints: [{ label, kind: "change" }],
      start: async (target) => {
        const user = await world.newUser("pro");
        return async () => ({
          [label]: await target.call("POST", "/api/usage/messages/consume", {
            token: world.serviceKey,
            json: { user_id: user.id, amount: 1 },
            headers: keyed ? { "Idempotency-Key": randomUUID() } : undefined,
          }),
        });
      },
    };
  });
}
