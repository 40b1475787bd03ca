import { json } from "@remix-run/node";
import { ApiError } from "./api.server.ts";

/**
 * Sign-up and log-in refusals stay on the form as an inline message (a 401 there means wrong
 * credentials, not an expired session); the typed email survives the round trip.
 */
export function authFailure(error: unknown, email: string) {
  if (!(error instanceof ApiError)) throw error;
  const status = error.status >= 400 && error.status < 600 ? error.status : 500;
  return json({ formError: error.message, email }, { status });
}

export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}
