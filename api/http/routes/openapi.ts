import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import { renderDocsPage } from "../openapi/docs-page.ts";
import { openApiDocument } from "../openapi/document.ts";

const CACHE = { "Cache-Control": "public, max-age=300" };

/** The API's own description; takes deps like every route factory although it needs none. */
export function openapiRoutes(_deps: AppDeps) {
  let page: string | undefined;
  return new Hono<AppEnv>()
    .get("/openapi.json", (c) => c.json(openApiDocument(), 200, CACHE))
    .get("/docs", (c) => {
      page ??= renderDocsPage(openApiDocument());
      return c.html(page, 200, CACHE);
    });
}
