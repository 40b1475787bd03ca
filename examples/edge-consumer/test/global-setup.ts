import type { TestProject } from "vitest/node";
import { startApiServer } from "../../../api/server/start-api-server.ts";
import { issueTokens } from "./token-source.ts";

const ADMIN = { email: "admin@consumer.test", password: "consumer-admin-password" };
const PASSWORD = "correct horse battery";

async function call(base: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const res = await fetch(`${base}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const body = (await res.json()) as Record<string, any>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * The real tierkit API on Node (an in-memory PGlite database) for the catalog, the accounts and
 * usage counting, and the tokens the example Worker is asked to trust or refuse.
 */
export default async function setup(project: TestProject) {
  const api = await startApiServer({ port: 0, jwtSecret: "edge-consumer-test-secret-long-enough-for-hs256", accounts: { admin: ADMIN, demoMember: false }, log: () => {} });
  try {
    const admin = await call(api.url, "/api/auth/login", { method: "POST", body: ADMIN });
    const { key } = await call(api.url, "/api/admin/service-keys", { method: "POST", token: admin.token, body: { name: "edge-consumer", scopes: ["usage:write"] } });
    const member = await call(api.url, "/api/auth/signup", { method: "POST", body: { email: "member@consumer.test", password: PASSWORD, display_name: "Member" } });
    const signedUp = await call(api.url, "/api/auth/signup", { method: "POST", body: { email: "pro@consumer.test", password: PASSWORD, display_name: "Pro" } });
    const pro = await call(api.url, "/api/user/subscription/upgrade", { method: "POST", token: signedUp.token, body: { tier_slug: "pro", billing_cycle: "monthly" } });

    const tokens = await issueTokens(api, { member: member.token, pro: pro.token });
    project.provide("tierkitUrl", api.url);
    project.provide("jwksUrl", tokens.jwksUrl);
    project.provide("serviceKey", key);
    project.provide("tokens", { member: tokens.member, pro: tokens.pro, otherKey: tokens.otherKey, expired: tokens.expired, removedKey: tokens.removedKey });
    return async () => {
      await tokens.close();
      await api.close();
    };
  } catch (error) {
    await api.close();
    throw error;
  }
}
