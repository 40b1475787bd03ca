import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { api } from "../lib/api.server.ts";
import { actionFailure } from "../lib/api-errors.server.ts";
import { requireAuth } from "../lib/session.server.ts";

/** The Stripe billing portal: the API opens a session and the browser goes there; changes return by webhook. */
export async function action({ request }: ActionFunctionArgs) {
  const { token } = await requireAuth(request);
  try {
    const { url } = await api.billingPortal(token);
    return redirect(url);
  } catch (error) {
    return actionFailure(request, error, "/profile");
  }
}

export const loader = () => redirect("/profile");
