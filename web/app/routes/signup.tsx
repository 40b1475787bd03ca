import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { AuthCard } from "../components/AuthCard.tsx";
import { EmailField, PasswordField } from "../components/AuthFields.tsx";
import { SubmitButton } from "../components/Button.tsx";
import { TextField } from "../components/Field.tsx";
import { Notice } from "../components/Notice.tsx";
import { api, clientIp } from "../lib/api.server.ts";
import { authFailure, type FieldErrors, missingFields, signedOutOnly, text } from "../lib/auth-form.server.ts";
import { readForm } from "../lib/form.server.ts";
import { safeRedirect, signIn } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Sign up · tierkit" }];

const MIN_PASSWORD = 8;
const FIELDS = ["display_name", "email", "password"] as const;

export const loader = ({ request }: LoaderFunctionArgs) => signedOutOnly(request);

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = text(form, "email");
  const displayName = text(form, "display_name");
  const password = String(form.get("password") ?? "");
  const missing: FieldErrors = {};
  if (!displayName) missing.display_name = "Enter your name.";
  if (!email) missing.email = "Enter your email address.";
  if (!password) missing.password = "Choose a password.";
  const refused = missingFields(missing, email);
  if (refused) return refused;
  try {
    const { token, refresh_token, user } = await api.signup(
      { email, password, display_name: displayName },
      clientIp(request),
    );
    const to = safeRedirect(request, form.get("redirectTo"), "/profile");
    return signIn(request, { token, refreshToken: refresh_token }, user, to, {
      kind: "success",
      message: `Welcome to tierkit, ${user.display_name}!`,
    });
  } catch (error) {
    return authFailure(error, email, FIELDS);
  }
}

export default function Signup() {
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <AuthCard
      title="Create your account"
      subtitle={
        <>
          You start on the free plan. Already have an account?{" "}
          <Link to="/login" className="font-medium text-indigo-600 hover:underline">
            Log in
          </Link>
        </>
      }
    >
      <Form method="post" className="space-y-4">
        {result?.formError && <Notice tone="error">{result.formError}</Notice>}
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField
          label="Display name"
          name="display_name"
          autoComplete="name"
          required
          maxLength={100}
          error={result?.fieldErrors?.display_name}
        />
        <EmailField defaultValue={result?.email} error={result?.fieldErrors?.email} />
        <PasswordField autoComplete="new-password" minLength={MIN_PASSWORD} error={result?.fieldErrors?.password} />
        <SubmitButton pendingLabel="Creating account…" className="w-full">
          Sign up
        </SubmitButton>
      </Form>
    </AuthCard>
  );
}
