import { json } from "@remix-run/node";
import { appOrigin } from "./app-origin.server.ts";

const UNSAFE_METHODS = ["POST", "PUT", "PATCH", "DELETE"];

/**
 * A 403 for a state-changing request sent from another site (CSRF), else null. Browsers name the
 * page a request comes from in Origin, and newer ones say how it relates to us in Sec-Fetch-Site;
 * a request with neither is no browser's. Used by readForm and, in front of Remix (whose own check
 * answers 500), by the Node web server.
 */
export function crossSiteRefusal(request: Request): Response | null {
  if (!UNSAFE_METHODS.includes(request.method)) return null;
  const origin = request.headers.get("Origin");
  const site = request.headers.get("Sec-Fetch-Site");
  const crossSite = origin ? origin !== appOrigin(request) : site !== null && site !== "same-origin" && site !== "none";
  return crossSite
    ? json({ message: "This form was sent from another site, so it was refused." }, { status: 403 })
    : null;
}
