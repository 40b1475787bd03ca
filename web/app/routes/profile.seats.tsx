import { type ActionFunctionArgs, json, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Copy } from "lucide-react";
import { useState } from "react";
import { buttonClass } from "../components/Button.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { api } from "../lib/api.server.ts";
import { actionFailure } from "../lib/api-errors.server.ts";
import { text } from "../lib/auth-form.server.ts";
import { redirectWithToast, requireAuth } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Members · tierkit" }];

export async function action({ request }: ActionFunctionArgs) {
  const { token } = await requireAuth(request);
  const form = await request.formData();
  try {
    switch (form.get("intent")) {
      case "invite": {
        // The link is shown once, here: only its hash is stored, so it cannot be shown again later.
        const created = await api.invite(token, text(form, "email"));
        return json({
          invited: {
            email: created.invitation.email,
            url: created.accept_url,
            expires_at: created.invitation.expires_at,
          },
        });
      }
      case "revoke": {
        const result = await api.revokeInvitation(token, text(form, "invitation_id"));
        return redirectWithToast(request, "/profile", { kind: "success", message: result.message });
      }
      case "remove": {
        const result = await api.removeMember(token, text(form, "user_id"));
        return redirectWithToast(request, "/profile", { kind: "success", message: result.message });
      }
      case "leave": {
        const result = await api.leaveSeat(token);
        return redirectWithToast(
          request,
          "/profile",
          { kind: "success", message: result.message },
          { token: result.token },
        );
      }
      default:
        return redirectWithToast(request, "/profile", { kind: "error", message: "That action is not available." });
    }
  } catch (error) {
    return actionFailure(request, error, "/profile");
  }
}

/** The seat forms of Your Plan post here; after an invitation it shows the link, else nothing. */
export default function SeatsRoute() {
  const data = useActionData<typeof action>();
  if (!data || !("invited" in data)) return null;
  return <InvitationLink {...data.invited} />;
}

function InvitationLink({ email, url }: { email: string; url: string; expires_at: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog
      title="Invitation created"
      description={`Share this link with ${email}; it works once, for 7 days.`}
      closeTo="/profile"
    >
      <label htmlFor="invitation-link" className="block text-sm font-medium text-slate-700">
        Invitation link
      </label>
      <input
        id="invitation-link"
        readOnly
        value={url}
        onFocus={(event) => event.currentTarget.select()}
        className="mt-1 block w-full rounded-lg bg-slate-50 px-3 py-2 font-mono text-xs ring-1 ring-slate-300 ring-inset"
      />
      <div className="mt-4 flex flex-wrap gap-3">
        <button
          type="button"
          className={buttonClass("primary")}
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true));
          }}
        >
          <Copy aria-hidden="true" className="size-4" /> {copied ? "Copied" : "Copy link"}
        </button>
      </div>
    </Dialog>
  );
}
