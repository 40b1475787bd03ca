import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { InvitationPreview } from "../../../api/http/schemas/seats.ts";
import { AuthCard } from "../components/AuthCard.tsx";
import { buttonClass, SubmitButton } from "../components/Button.tsx";
import { Notice } from "../components/Notice.tsx";
import { ApiError, api } from "../lib/api.server.ts";
import { actionFailure } from "../lib/api-errors.server.ts";
import { text } from "../lib/auth-form.server.ts";
import { formatDate } from "../lib/format.ts";
import { getAuth, redirectWithToast, requireAuth } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Join a shared plan · tierkit" }];

const SETTLED: Record<Exclude<InvitationPreview["status"], "pending">, string> = {
  accepted: "This invitation has already been used.",
  revoked: "This invitation was revoked by the plan's owner.",
  expired: "This invitation has expired; ask the plan's owner for a new one.",
};

/** Serves everyone who follows an invitation link: signed out, signed in with the invited email, or not. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const here = `${url.pathname}${url.search}`;
  const auth = await getAuth(request);
  let invitation: InvitationPreview | null = null;
  let problem: string | null = null;
  try {
    invitation = token ? (await api.invitation(token)).invitation : null;
    if (!invitation) problem = "This invitation link is not valid.";
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) throw error;
    problem = "This invitation link is not valid.";
  }
  return json({ token, here, invitation, problem, signedInAs: auth?.user.email ?? null });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const token = text(form, "token");
  const back = `/seats/accept?${new URLSearchParams({ token })}`;
  const { token: session } = await requireAuth(request);
  try {
    const result = await api.acceptSeat(session, token);
    return redirectWithToast(
      request,
      "/profile",
      { kind: "success", message: result.message },
      { token: result.token },
    );
  } catch (error) {
    return actionFailure(request, error, back);
  }
}

export default function AcceptSeat() {
  const { token, here, invitation, problem, signedInAs } = useLoaderData<typeof loader>();
  if (!invitation || problem) {
    return (
      <AuthCard
        title="Invitation not valid"
        subtitle="The link may be incomplete; copy it again from the message you received."
      >
        <Notice tone="error">{problem}</Notice>
      </AuthCard>
    );
  }
  const offer = `${invitation.owner_display_name} invited ${invitation.email} to share their ${invitation.tier_name ?? ""} plan.`;
  if (invitation.status !== "pending") {
    return (
      <AuthCard title="Join a shared plan" subtitle={offer}>
        <Notice tone="warning">{SETTLED[invitation.status]}</Notice>
      </AuthCard>
    );
  }
  const redirectTo = new URLSearchParams({ redirectTo: here });
  const sameEmail = signedInAs?.toLowerCase() === invitation.email.toLowerCase();
  return (
    <AuthCard title="Join a shared plan" subtitle={offer}>
      <p className="text-sm text-slate-600">The invitation is valid until {formatDate(invitation.expires_at)}.</p>
      {!signedInAs && (
        <div className="mt-4 space-y-3">
          <p className="text-sm">
            Log in or sign up with <strong>{invitation.email}</strong>, then join.
          </p>
          <div className="flex flex-wrap gap-3">
            <Link to={`/signup?${redirectTo}`} className={buttonClass("primary")}>
              Sign up to join
            </Link>
            <Link to={`/login?${redirectTo}`} className={buttonClass("secondary")}>
              Log in to join
            </Link>
          </div>
        </div>
      )}
      {signedInAs && !sameEmail && (
        <div className="mt-4 space-y-3">
          <Notice tone="warning">
            This invitation is for <strong>{invitation.email}</strong>, and you are signed in as{" "}
            <strong>{signedInAs}</strong>. Log out, then open the link again with that address.
          </Notice>
          <Form method="post" action="/logout">
            <SubmitButton pendingLabel="Logging out…" variant="secondary">
              Log out
            </SubmitButton>
          </Form>
        </div>
      )}
      {signedInAs && sameEmail && (
        <Form method="post" className="mt-4">
          <input type="hidden" name="token" value={token} />
          <SubmitButton pendingLabel="Joining…" className="w-full">
            Join {invitation.owner_display_name}'s plan
          </SubmitButton>
        </Form>
      )}
    </AuthCard>
  );
}
