import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** tierkit's error envelope, so a consumer's refusals read like the API's own. */
export interface ErrorEnvelope {
  success: false;
  error: { code: string; message: string };
}

export function refuse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body: ErrorEnvelope = { success: false, error: { code, message } };
  return c.json(body, status, headers);
}

/** The value as an absolute URL, or null (URL.canParse is not in every runtime's types). */
export function absoluteUrl(value: unknown): URL | null {
  if (typeof value !== "string") return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
