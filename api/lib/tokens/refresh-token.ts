import { base64url } from "jose";

// Refresh tokens are opaque: 32 random bytes behind a prefix that makes a leaked one easy to spot.
// The database keeps only their SHA-256. A successor is not random but HMAC(parent) under a key
// derived from the signing key, so a parent presented again within the grace window can be answered
// with the very same successor without the successor ever being stored.
const PREFIX = "rt_";

/** What a refresh token looks like; anything else is refused before the database is asked. */
export const REFRESH_TOKEN_PATTERN = /^rt_[A-Za-z0-9_-]{43}$/;

export function newRefreshToken(): string {
  return PREFIX + base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}

export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function successorOf(successorKey: CryptoKey, parent: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", successorKey, new TextEncoder().encode(parent));
  return PREFIX + base64url.encode(new Uint8Array(mac));
}
