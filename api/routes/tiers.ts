import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";
import { presentTier } from "../lib/presenters.ts";
import { listTiers } from "../services/subscriptions/index.ts";

/** How long an isolate serves its copy of the catalog before reading the database again. */
export const TIERS_CACHE_SECONDS = 300;

type TiersBody = { success: true; tiers: ReturnType<typeof presentTier>[] };

async function strongEtag(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `"${hex.slice(0, 32)}"`;
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((candidate) => {
    const value = candidate.trim();
    return value === "*" || value === etag || value === `W/${etag}`;
  });
}

export function tiersRoutes(deps: AppDeps) {
  // Per app instance, i.e. per Worker isolate: a warm request answers without touching the database.
  let cached: { body: TiersBody; etag: string; expiresAt: number } | undefined;

  async function catalog(db: AppEnv["Variables"]["db"]) {
    const now = deps.clock().getTime();
    if (cached && cached.expiresAt > now) return cached;
    const tiers = await listTiers(db, { activeOnly: true });
    const body: TiersBody = { success: true, tiers: tiers.map(presentTier) };
    cached = { body, etag: await strongEtag(JSON.stringify(body)), expiresAt: now + TIERS_CACHE_SECONDS * 1000 };
    return cached;
  }

  return new Hono<AppEnv>().get("/", async (c) => {
    const { body, etag } = await catalog(c.var.db);
    const headers = { ETag: etag, "Cache-Control": `public, max-age=${TIERS_CACHE_SECONDS}` };
    if (matchesEtag(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
    return c.json(body, 200, headers);
  });
}
