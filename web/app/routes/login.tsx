import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { AuthCard } from "../components/AuthCard.tsx";
import { EmailField, PasswordField } from "../components/AuthFields.tsx";
import { SubmitButton } from "../components/Button.tsx";
import { Notice } from "../components/Notice.tsx";
import { api, clientIp } from "../lib/api.server.ts";
import { authFailure, type FieldErrors, missingFields, signedOutOnly, text } from "../lib/auth-form.server.ts";
import { readForm } from "../lib/form.server.ts";
import { safeRedirect, signIn } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Log in · tierkit" }];

export const loader = ({ request }: LoaderFunctionArgs) => signedOutOnly(request);

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = text(form, "email");
  const password = String(form.get("password") ?? "");
  const missing: FieldErrors = {};
  if (!email) missing.email = "Enter your email address.";
  if (!password) missing.password = "Enter your password.";
  const refused = missingFields(missing, email);
  if (refused) return refused;
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
        <EmailField defaultValue={result?.email} error={result?.fieldErrors?.email} />
        <PasswordField autoComplete="current-password" error={result?.fieldErrors?.password} />
        <SubmitButton pendingLabel="Logging in…" className="w-full">
          Log in
        </SubmitButton>
      </Form>
    </AuthCard>
  );
}
