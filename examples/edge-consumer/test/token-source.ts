import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt } from "jose";
import type { ApiServer } from "../../../api/server/start-api-server.ts";
import { entitlementsOf } from "../../../api/services/entitlements/features.ts";
import { type SigningKey, createSigningKey, signWith } from "../../../tests/support/edge-issuer.ts";

export interface IssuedTokens {
  /** Where the Worker under test fetches the keys from. */
  jwksUrl: string;
  member: string;
  pro: string;
  /** Signed by a key tierkit never published. */
  otherKey: string;
  /** Signed by the current key, expired ten minutes ago. */
  expired: string;
  /** Signed by a key that was published before a rotation and has been removed since. */
  removedKey: string;
  close(): Promise<void>;
}

/**
 * The one place the suite's tokens come from. The API issues HS256 tokens today, so the account
 * claims come from real sign-ups on the real API and are signed here with ES256 keys (kid = JWK
 * thumbprint), with `ent`, `ver` and `sid` added the way the API will, and the public keys served as
 * a JWKS from a small local server. When the API signs ES256 itself, this function asks it instead.
 */
export async function issueTokens(api: ApiServer, accounts: { member: string; pro: string }): Promise<IssuedTokens> {
  const current = await createSigningKey();
  const removed = await createSigningKey();
  const stranger = await createSigningKey();
  const published: SigningKey[] = [current];
  const server = createServer((req, res) => {
    if (req.url !== "/.well-known/jwks.json") return res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" });
    res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const tiers = ((await (await fetch(`${api.url}/api/tiers`)).json()) as { tiers: { slug: string; features: Record<string, unknown> }[] }).tiers;
  const claimsOf = (token: string) => {
    const { iss: _iss, aud: _aud, iat: _iat, exp: _exp, ...claims } = decodeJwt(token);
    const tier = tiers.find((t) => t.slug === claims.tier_slug);
    return { ...claims, ent: entitlementsOf(tier?.features ?? {}), ver: 1, sid: crypto.randomUUID() };
  };
  const member = claimsOf(accounts.member);
  const pro = claimsOf(accounts.pro);
  const tenMinutesAgo = new Date(Date.now() - 25 * 60 * 1000);
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    member: await signWith(current, member),
    pro: await signWith(current, pro),
    otherKey: await signWith(stranger, member),
    expired: await signWith(current, member, { now: tenMinutesAgo, lifetimeSec: 15 * 60 }),
    removedKey: await signWith(removed, member),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
