import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { readForm } from "../lib/form.server.ts";
import { logOut } from "../lib/session.server.ts";

// Logging out changes state, so it is a POST (the header's button); a GET just goes home.
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  // Read only for its checks: another site must not be able to sign our users out.
  await readForm(request);
  return logOut(request, "/", { kind: "success", message: "You have been logged out." });
}
