import { json } from "@remix-run/node";
import { appOrigin } from "./app-origin.server.ts";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * A form post from another site (CSRF). Browsers name the page a post comes from in Origin, and
 * newer ones say how it relates to us in Sec-Fetch-Site; a request with neither is no browser's.
 */
function isCrossSite(request: Request): boolean {
  const origin = request.headers.get("Origin");
  if (origin) return origin !== appOrigin(request);
  const site = request.headers.get("Sec-Fetch-Site");
  return site !== null && site !== "same-origin" && site !== "none";
}

/**
 * The one way actions read their form: a cross-site post is refused (403), anything that is not a
 * form (415) or does not parse as one (400) gets a clear answer instead of a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  if (isCrossSite(request)) {
    throw json({ message: "This form was sent from another site, so it was refused." }, { status: 403 });
  }
  const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!FORM_TYPES.includes(type)) {
    throw json({ message: "Send this form as application/x-www-form-urlencoded or multipart/form-data." }, { status: 415 });
  }
  try {
    return await request.formData();
  } catch {
    throw json({ message: "The form could not be read; please send it again." }, { status: 400 });
  }
}
