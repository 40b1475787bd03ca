import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Outlet, useActionData, useLoaderData } from "@remix-run/react";
import { SubmitButton } from "../components/Button.tsx";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { TextAreaField, TextField } from "../components/Field.tsx";
import { PaymentNotices } from "../components/PaymentNotices.tsx";
import { SeatsPanel } from "../components/SeatsPanel.tsx";
import { SubscriptionCard } from "../components/SubscriptionCard.tsx";
import { api } from "../lib/api.server.ts";
import { actionFailure, loadFromApi } from "../lib/api-errors.server.ts";
import { text } from "../lib/auth-form.server.ts";
import { readForm } from "../lib/form.server.ts";
import { redirectWithToast, refreshedHeaders, requireAuth } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Your profile · tierkit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { token } = await requireAuth(request);
  // Back from Stripe Checkout: read the new subscription from Stripe now rather than wait for the webhook.
  if (new URL(request.url).searchParams.get("checkout") === "success") {
    const synced = await loadFromApi(request, () => api.syncSubscription(token));
    const message = synced.changed
      ? "Payment received: your new plan is active."
      : "Checkout complete; your plan updates in a moment.";
    return redirectWithToast(request, "/profile", { kind: "success", message }, { token: synced.token });
  }
  const [{ user }, overview, seats] = await loadFromApi(request, () =>
    Promise.all([api.profile(token), api.subscription(token), api.seats(token)]),
  );
  // A fresh key per render of the plan forms: loaders re-run after every action, so each attempt gets its own.
  return json({ user, overview, seats, now: Date.now(), formKey: crypto.randomUUID() });
}

const LIMITS = { display_name: 100, bio: 500, location: 100, job_title: 100 } as const;

export async function action({ request }: ActionFunctionArgs) {
  const { token } = await requireAuth(request);
  const form = await readForm(request);
  const fields = {
    display_name: text(form, "display_name"),
    bio: text(form, "bio"),
    location: text(form, "location"),
    job_title: text(form, "job_title"),
  };
  const errors: Partial<Record<keyof typeof fields, string>> = {};
  if (!fields.display_name) errors.display_name = "Your display name cannot be empty.";
  for (const [name, max] of Object.entries(LIMITS) as [keyof typeof fields, number][]) {
    if (fields[name].length > max) errors[name] = `Use at most ${max} characters.`;
  }
  if (Object.keys(errors).length > 0)
    return json({ errors }, { status: 400, headers: await refreshedHeaders(request) });

  try {
    const result = await api.updateProfile(token, fields);
    return redirectWithToast(
      request,
      "/profile",
      { kind: "success", message: "Your profile has been saved." },
      { token: result.token, user: result.user },
    );
  } catch (error) {
    return actionFailure(request, error, "/profile");
  }
}

export default function Profile() {
  const { user, overview, seats, now } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors;
  return (
    <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-12">
      <h1 className="text-3xl font-bold tracking-tight">Your profile</h1>
      <p className="mt-1 text-slate-600">{user.email}</p>
      <div className="mt-8 grid items-start gap-6 lg:grid-cols-2">
        <section
          aria-labelledby="profile-fields-title"
          className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-6"
        >
          <h2 id="profile-fields-title" className="text-lg font-semibold">
            Profile details
          </h2>
          <Form method="post" className="mt-4 space-y-4">
            <TextField
              label="Display name"
              name="display_name"
              defaultValue={user.display_name}
              required
              maxLength={LIMITS.display_name}
              error={errors?.display_name}
            />
            <TextAreaField
              label="Bio"
              name="bio"
              defaultValue={user.bio ?? ""}
              maxLength={LIMITS.bio}
              error={errors?.bio}
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                label="Location"
                name="location"
                defaultValue={user.location ?? ""}
                maxLength={LIMITS.location}
                error={errors?.location}
              />
              <TextField
                label="Job title"
                name="job_title"
                defaultValue={user.job_title ?? ""}
                maxLength={LIMITS.job_title}
                error={errors?.job_title}
              />
            </div>
            <SubmitButton intent="update-profile" pendingLabel="Saving…">
              Save profile
            </SubmitButton>
          </Form>
        </section>
        <div className="space-y-4">
          <SubscriptionCard
            subscription={overview.subscription}
            tiers={overview.available_tiers}
            canUpgrade={overview.can_upgrade && overview.available_upgrades.length > 0}
            now={now}
          >
            <SeatsPanel subscription={overview.subscription} seats={seats} />
          </SubscriptionCard>
          <PaymentNotices subscription={overview.subscription} />
        </div>
      </div>
      <Outlet />
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
