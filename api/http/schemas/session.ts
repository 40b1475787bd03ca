// Bodies and answers of the session endpoints (api/http/routes/session.ts) and the JWKS.
import { z } from "@hono/zod-openapi";
import { REFRESH_TOKEN_PATTERN } from "../../lib/tokens/refresh-token.ts";

export const refreshToken = z
  .string()
  .regex(REFRESH_TOKEN_PATTERN, "Not a refresh token (rt_ followed by 43 base64url characters).")
  .openapi({ example: "rt_3q2-7wEXAMPLEexampleEXAMPLEexampleEXAMPLEex" });

export const refreshBody = z.object({ refresh_token: refreshToken }).openapi("RefreshRequest");

export const logoutBody = z.object({ refresh_token: refreshToken.optional() }).openapi("LogoutRequest");

export const tokenPair = z
  .object({
    success: z.literal(true),
    token: z.string().openapi({ description: "A new access token (ES256 JWT) of the same session." }),
    refresh_token: refreshToken.openapi({ description: "Replaces the presented refresh token, which is now used up." }),
  })
  .openapi("TokenPair");

export const loggedOut = z.object({ success: z.literal(true) }).openapi("LoggedOut");

export const jwkSet = z
  .object({
    keys: z.array(
      z.object({
        kty: z.literal("EC"),
        crv: z.literal("P-256"),
        x: z.string(),
        y: z.string(),
        kid: z.string().openapi({ description: "RFC 7638 thumbprint of the key." }),
        alg: z.literal("ES256"),
        use: z.literal("sig"),
      }),
    ),
  })
  .openapi("JwkSet");
