import { json, redirect } from "@remix-run/node";
import { ApiError } from "./api.server.ts";
import { getAuth, safeRedirect } from "./session.server.ts";

export type FieldErrors = Partial<Record<string, string>>;

// Refusals that are about one field, by the API's code.
const FIELD_OF_CODE: Record<string, string> = { email_taken: "email" };

/** The API's validation details ([{ path, message }]) keyed by field; the first message per field wins. */
export function fieldErrorsOf(error: ApiError, fields: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  const field = FIELD_OF_CODE[error.code];
  if (field && fields.includes(field)) errors[field] = error.message;
  if (Array.isArray(error.details)) {
    for (const detail of error.details as { path?: unknown; message?: unknown }[]) {
      const path = typeof detail?.path === "string" ? detail.path : "";
      if (fields.includes(path) && typeof detail.message === "string") errors[path] ??= detail.message;
    }
  }
  return errors;
}

/**
 * Sign-up and log-in refusals stay on the form: each field's problem next to that field, anything
 * else (wrong credentials: a 401 here is not an expired session) as one message. The typed email
 * survives the round trip.
 */
export function authFailure(error: unknown, email: string, fields: readonly string[]) {
  if (!(error instanceof ApiError)) throw error;
  const status = error.status >= 400 && error.status < 600 ? error.status : 500;
  const fieldErrors = fieldErrorsOf(error, fields);
  const formError = Object.keys(fieldErrors).length > 0 ? undefined : error.message;
  return json({ formError, fieldErrors, email }, { status });
}

/** The 400 for a form with empty required fields (`missing`), or undefined when none is. */
export function missingFields(missing: FieldErrors, email: string) {
  if (Object.keys(missing).length === 0) return undefined;
  return json({ formError: undefined, fieldErrors: missing, email }, { status: 400 });
}

export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** The log-in and sign-up pages' loader: a visitor already signed in goes where `redirectTo` says (on the site). */
export async function signedOutOnly(request: Request) {
  const redirectTo = safeRedirect(request, new URL(request.url).searchParams.get("redirectTo"));
  if (await getAuth(request)) throw redirect(redirectTo);
  return json({});
}
