import type { ActionFunctionArgs } from "@remix-run/node";
import { api } from "../lib/api.server.ts";
import { actionFailure } from "../lib/api-errors.server.ts";
import { text } from "../lib/auth-form.server.ts";
import { redirectWithToast, requireAdmin } from "../lib/session.server.ts";

/** The admin's remove-member form (components/AdminSeatsCard.tsx) posts here, then returns to the user page. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { token } = await requireAdmin(request);
  const form = await request.formData();
  const back = `/admin/users/${params.userId ?? ""}`;
  try {
    const result = await api.adminRemoveMember(
      token,
      params.userId ?? "",
      text(form, "member_id"),
      text(form, "reason") || undefined,
    );
    return redirectWithToast(request, back, { kind: "success", message: result.message });
  } catch (error) {
    return actionFailure(request, error, back);
  }
}
