import { z } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { publicJwks } from "../../lib/tokens/signing-keys.ts";
import { apiRoute, createRouter, jsonResponse } from "../openapi/router.ts";
import { jwkSet } from "../schemas/session.ts";

/**
 * How long consumers may cache the key set. A standby key must be published at least this long
 * before it starts signing (README, "Rotating signing keys").
 */
export const JWKS_CACHE_SECONDS = 300;

const jwksRoute = apiRoute(
  "public",
  {
    method: "get",
    path: "/jwks.json",
    tags: ["auth"],
    summary: "The public keys that verify tierkit's access tokens",
    description:
      "The JWK Set (RFC 7517) of every key that may have signed a live access token, including a standby key " +
      `published ahead of rotation. Consumers may cache it for ${JWKS_CACHE_SECONDS} seconds and verify ES256 tokens locally.`,
    responses: {
      200: {
        ...jsonResponse(jwkSet, "The JWK Set (public keys only), by kid."),
        headers: z.object({
          "Cache-Control": z.string().openapi({ example: `public, max-age=${JWKS_CACHE_SECONDS}` }),
        }),
      },
    },
  },
  { readsDatabase: false },
);

export function jwksRoutes(deps: AppDeps) {
  const body = publicJwks(deps.keys);
  return createRouter().openapi(jwksRoute, (c) =>
    c.json(body, 200, { "Cache-Control": `public, max-age=${JWKS_CACHE_SECONDS}` }),
  );
}
