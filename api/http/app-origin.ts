import type { AppDeps } from "../env.ts";

/** Where the web app runs when nothing says otherwise: `npm start`'s web server. */
export const DEFAULT_APP_ORIGIN = "http://localhost:3000";

/**
 * The web app's origin, the one place links to it are based on (APP_ORIGIN in the environment,
 * AppDeps.appOrigin here). Only the origin of the setting counts, so a path or slash is harmless.
 */
export function appOrigin(deps: Pick<AppDeps, "appOrigin">): string {
  return new URL(deps.appOrigin || DEFAULT_APP_ORIGIN).origin;
}

/** The web page where an invited person accepts a seat. */
export function seatAcceptUrl(deps: Pick<AppDeps, "appOrigin">, token: string): string {
  const url = new URL("/seats/accept", appOrigin(deps));
  url.searchParams.set("token", token);
  return url.toString();
}
