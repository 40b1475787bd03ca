import { z } from "@hono/zod-openapi";
import { apiRoute, createRouter, headerParameter, jsonResponse } from "../openapi/router.ts";
import { serializedJson } from "../presenters/serialized.ts";
import { TierJson } from "../schemas/tier-json.ts";
import { TIERS_CACHE_SECONDS, type TierCatalog } from "../tier-catalog.ts";

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((candidate) => {
    const value = candidate.trim();
    return value === "*" || value === etag || value === `W/${etag}`;
  });
}

export const TiersBodyJson = z.strictObject({ success: z.literal(true), tiers: z.array(TierJson) }).openapi("TierList");

const cacheHeaders = z.object({
  ETag: z.string().describe("Changes whenever the catalog does; send it back as If-None-Match."),
  "Cache-Control": z.string(),
});

const IfNoneMatch = z
  .string()
  .optional()
  .openapi("IfNoneMatch", {
    param: { name: "If-None-Match", in: "header", required: false },
    description: "An ETag from an earlier answer: 304 while the catalog is unchanged.",
  });

export function tiersRoutes(catalog: TierCatalog) {
  const router = createRouter();
  const listTiers = apiRoute("public", {
    method: "get",
    path: "/",
    tags: ["tiers"],
    summary: "Active tiers with pricing and features",
    description: "The catalog, cached for five minutes; answers 304 to an If-None-Match that carries its ETag.",
    parameters: [headerParameter(router, "IfNoneMatch", IfNoneMatch)],
    responses: {
      200: { ...jsonResponse(TiersBodyJson, "The active tiers, cheapest first."), headers: cacheHeaders },
      304: { description: "The catalog is unchanged since the ETag sent in If-None-Match.", headers: cacheHeaders },
    },
  });

  return router.openapi(listTiers, async (c) => {
    const { body, etag } = await catalog.get(c.var.db);
    const headers = { ETag: etag, "Cache-Control": `public, max-age=${TIERS_CACHE_SECONDS}` };
    if (matchesEtag(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
    return serializedJson(c, body, 200, headers);
  });
}
