import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { AuthCard } from "../components/AuthCard.tsx";
import { SubmitButton } from "../components/Button.tsx";
import { TextField } from "../components/Field.tsx";
import { Notice } from "../components/Notice.tsx";
import { api, clientIp } from "../lib/api.server.ts";
import { authFailure, type FieldErrors, text } from "../lib/auth-form.server.ts";
import { readForm } from "../lib/form.server.ts";
import { getAuth, safeRedirect, signIn } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Log in · tierkit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(request, new URL(request.url).searchParams.get("redirectTo"));
  if (await getAuth(request)) throw redirect(redirectTo);
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = text(form, "email");
  const password = String(form.get("password") ?? "");
  const missing: FieldErrors = {};
  if (!email) missing.email = "Enter your email address.";
  if (!password) missing.password = "Enter your password.";
  if (Object.keys(missing).length > 0)
    return json({ formError: undefined, fieldErrors: missing, email }, { status: 400 });
  try {
    const { token, refresh_token, user } = await api.login({ email, password }, clientIp(request));
    const to = safeRedirect(request, form.get("redirectTo"), user.is_admin ? "/admin/subscriptions" : "/profile");
    return signIn(request, { token, refreshToken: refresh_token }, user, to, {
      kind: "success",
      message: `Welcome back, ${user.display_name}.`,
    });
  } catch (error) {
    return authFailure(error, email, ["email", "password"]);
  }
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  return (
    <AuthCard
      title="Log in"
      subtitle={
        <>
          New here?{" "}
          <Link
            to={`/signup${redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ""}`}
            className="font-medium text-indigo-600 hover:underline"
          >
            Create an account
          </Link>
        </>
      }
    >
      <Form method="post" className="space-y-4">
        {result?.formError && <Notice tone="error">{result.formError}</Notice>}
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={result?.email}
          error={result?.fieldErrors?.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={result?.fieldErrors?.password}
        />
        <SubmitButton pendingLabel="Logging in…" className="w-full">
          Log in
        </SubmitButton>
      </Form>
    </AuthCard>
  );
}
