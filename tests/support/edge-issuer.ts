import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** An ES256 key as tierkit publishes it: kid is the RFC 7638 thumbprint of the public JWK. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: "ES256", use: "sig" } };
}

export const ISSUER = "tierkit";
export const AUDIENCE = "tierkit-api";

export const memberClaims = {
  user_id: "6f1c1c55-6d7e-4f4e-9a43-0d1f4f8f1a11",
  email: "ada@example.com",
  display_name: "Ada",
  is_admin: false,
  tier_slug: "member",
  tier_level: 1,
  subscription_status: "active",
  ent: { messages_per_day: 50, documents: 10, storage_gb: 1, seats: 1, priority_support: false, api_access: false },
  ver: 1,
  sid: "4c0d8d0e-0b7a-4a43-b3d4-55f0c1b0e2a1",
};

export const proClaims = {
  ...memberClaims,
  tier_slug: "pro",
  tier_level: 2,
  ent: { messages_per_day: 500, documents: 200, storage_gb: 10, seats: 1, priority_support: false, api_access: true },
  ver: 2,
};

export async function signWith(
  key: SigningKey,
  claims: Record<string, unknown>,
  options: { now?: Date; lifetimeSec?: number; issuer?: string; audience?: string } = {},
): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: key.kid })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetimeSec ?? 900))
    .sign(key.privateKey);
}

const CATALOG = [
  { slug: "member", tier_level: 1 },
  { slug: "pro", tier_level: 2 },
  { slug: "business", tier_level: 3 },
  { slug: "elite", tier_level: 4 },
  { slug: "family", tier_level: 5 },
];

/**
 * A stand-in for tierkit's two public documents (the JWKS and the tier catalog) behind a fetch
 * function, so the middleware's real jose and fetch code runs with no network.
 */
export function fakeTierkit(origin = "https://tierkit.test") {
  const state = {
    keys: [] as SigningKey[],
    tiers: [...CATALOG],
    jwksFetches: 0,
    tiersFetches: 0,
    down: false,
    tiersDown: false,
  };
  const fetch = (async (input: RequestInfo | URL) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (state.down) throw new TypeError("fetch failed");
    if (url.pathname === "/.well-known/jwks.json") {
      state.jwksFetches += 1;
      return Response.json({ keys: state.keys.map((key) => key.publicJwk) });
    }
    if (url.pathname === "/api/tiers") {
      state.tiersFetches += 1;
      if (state.tiersDown)
        return Response.json({ success: false, error: { code: "internal_error", message: "down" } }, { status: 500 });
      return Response.json({ success: true, tiers: state.tiers });
    }
    return new Response("not found", { status: 404 });
  }) as typeof globalThis.fetch;
  return { state, fetch, jwksUrl: `${origin}/.well-known/jwks.json` };
}
