import { afterAll, beforeAll, expect } from "vitest";
import { signupOnTier } from "./api-checks.ts";
import { createTestApp, type TestApp } from "./test-app.ts";

/** The app of the current test file, created by setupSeatsWorld's beforeAll (an ESM live binding). */
export let t: TestApp;

/** One app on a fresh database for the test file, closed after its last test. */
export function setupSeatsWorld(): void {
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
}

let sequence = 0;
export const freshEmail = (name = "guest") =>
  `${name}-${++sequence}-${Math.random().toString(36).slice(2, 7)}@example.com`;

export async function invite(token: string, email: string) {
  return t.request("POST", "/api/user/seats/invitations", { token, json: { email } });
}

export async function invited(token: string, email: string) {
  const res = await invite(token, email);
  expect(res.status).toBe(201);
  const body = await res.json();
  return { ...body, token: new URL(body.accept_url).searchParams.get("token") as string };
}

export const accept = (token: string, invitationToken: string) =>
  t.request("POST", "/api/seats/accept", { token, json: { token: invitationToken } });

/** An owner on `tier` and `count` members who joined through invitations, oldest first. */
export async function ownerWithMembers(tier: string, count: number) {
  const owner = await signupOnTier(t, tier);
  const members = [];
  for (let i = 0; i < count; i += 1) {
    const email = freshEmail(`member${i}`);
    const link = await invited(owner.token, email);
    const member = await t.signup(email);
    const res = await accept(member.token, link.token);
    expect(res.status).toBe(200);
    members.push({ ...member, token: (await res.json()).token as string });
    t.clock.advance({ minutes: 1 });
  }
  return { owner, members };
}

export const seatsOf = async (token: string) => (await t.request("GET", "/api/user/seats", { token })).json();
export const subscriptionOf = async (token: string) =>
  (await t.request("GET", "/api/user/subscription", { token })).json();
