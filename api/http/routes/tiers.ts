import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { TIERS_CACHE_SECONDS, type TierCatalog } from "../tier-catalog.ts";

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((candidate) => {
    const value = candidate.trim();
    return value === "*" || value === etag || value === `W/${etag}`;
  });
}

export function tiersRoutes(catalog: TierCatalog) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const { body, etag } = await catalog.get(c.var.db);
    const headers = { ETag: etag, "Cache-Control": `public, max-age=${TIERS_CACHE_SECONDS}` };
    if (matchesEtag(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
    return c.json(body, 200, headers);
  });
}
