import { json } from "@remix-run/node";
import { ApiError } from "./api.server.ts";
import { loginUrl, redirectWithToast, signOut } from "./session.server.ts";

const SESSION_EXPIRED = { kind: "error", message: "Your session has expired. Please log in again." } as const;

/** What a page shows for a failed API call: an expired token signs out, anything else is an error page. */
async function loaderFailure(request: Request, error: unknown): Promise<Response> {
  if (!(error instanceof ApiError)) throw error;
  if (error.status === 401) return signOut(loginUrl(request), SESSION_EXPIRED);
  const status = error.status >= 400 && error.status < 600 ? error.status : 500;
  return json({ message: error.message, code: error.code }, { status });
}

/** Runs a loader's API calls; failures are thrown as responses for the route's error boundary. */
export async function loadFromApi<T>(request: Request, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw await loaderFailure(request, error);
  }
}

/**
 * After a failed mutation the user goes back to the form with the API's explanation as a flash
 * message (plain POST + redirect, so it works without JavaScript); an expired token signs out.
 * `inDialog`: `backTo` reopens a dialog, which shows the message itself.
 */
export async function actionFailure(
  request: Request,
  error: unknown,
  backTo: string,
  options: { inDialog?: boolean } = {},
): Promise<Response> {
  if (!(error instanceof ApiError)) throw error;
  if (error.status === 401) {
    return signOut(`/login?${new URLSearchParams({ redirectTo: backTo })}`, SESSION_EXPIRED);
  }
  return redirectWithToast(request, backTo, {
    kind: "error",
    message: error.message,
    ...(options.inDialog ? { placement: "dialog" as const } : {}),
  });
}
