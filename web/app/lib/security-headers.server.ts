import { randomBytes } from "node:crypto";
import { getAuth } from "./session.server.ts";

export const newNonce = () => randomBytes(16).toString("base64");

/**
 * Scripts only from our origin or carrying this response's nonce (Remix's inline hydration
 * scripts); inline style attributes are allowed (chart bar widths). No framing, no plugins, forms
 * post only to us.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Headers every page and data response carries. What a signed-in user sees is theirs alone, so
 * no browser or shared cache may keep it (the back button after logging out, a proxy).
 */
export async function setSecurityHeaders(request: Request, headers: Headers, nonce?: string): Promise<void> {
  if (nonce) headers.set("Content-Security-Policy", contentSecurityPolicy(nonce));
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  if (await getAuth(request)) headers.set("Cache-Control", "no-store");
}
