import { z } from "@hono/zod-openapi";
import { renderDocsPage } from "../openapi/docs-page.ts";
import { type OpenApiDocument, OpenApiDocumentJson } from "../openapi/document.ts";
import { apiRoute, createRouter } from "../openapi/router.ts";

const CACHE = { "Cache-Control": "public, max-age=300" };
const TAGS = ["docs"];

const documentRoute = apiRoute(
  "public",
  {
    method: "get",
    path: "/openapi.json",
    tags: TAGS,
    summary: "This OpenAPI 3.1 document",
    description: "Generated from the route definitions that validate every request.",
    responses: {
      200: { description: "The document.", content: { "application/json": { schema: OpenApiDocumentJson } } },
    },
  },
  { readsDatabase: false },
);

const docsRoute = apiRoute(
  "public",
  {
    method: "get",
    path: "/docs",
    tags: TAGS,
    summary: "The API reference as an HTML page",
    description: "This document rendered as one self-contained page.",
    responses: { 200: { description: "An HTML page.", content: { "text/html": { schema: z.string() } } } },
  },
  { readsDatabase: false },
);

/** The API's own description: `document` generates it from the app's route definitions. */
export function openapiRoutes(document: () => OpenApiDocument) {
  let page: string | undefined;
  return createRouter()
    .openapi(documentRoute, (c) => c.json(document(), 200, CACHE))
    .openapi(docsRoute, (c) => {
      page ??= renderDocsPage(document());
      return c.html(page, 200, CACHE);
    });
}
