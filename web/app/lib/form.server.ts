import { json } from "@remix-run/node";
import { crossSiteRefusal } from "./cross-site.server.ts";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * The one way actions read their form: a cross-site post is refused (403), anything that is not a
 * form (415) or does not parse as one (400) gets a clear answer instead of a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  const refusal = crossSiteRefusal(request);
  if (refusal) throw refusal;
  const type = request.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!FORM_TYPES.includes(type)) {
    throw json(
      { message: "Send this form as application/x-www-form-urlencoded or multipart/form-data." },
      { status: 415 },
    );
  }
  try {
    return await request.formData();
  } catch {
    throw json({ message: "The form could not be read; please send it again." }, { status: 400 });
  }
}
