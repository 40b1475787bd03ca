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

export const meta: MetaFunction = () => [{ title: "Sign up · tierkit" }];

const MIN_PASSWORD = 8;
const FIELDS = ["display_name", "email", "password"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getAuth(request)) throw redirect("/profile");
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = text(form, "email");
  const displayName = text(form, "display_name");
  const password = String(form.get("password") ?? "");
  const missing: FieldErrors = {};
  if (!displayName) missing.display_name = "Enter your name.";
  if (!email) missing.email = "Enter your email address.";
  if (!password) missing.password = "Choose a password.";
  if (Object.keys(missing).length > 0)
    return json({ formError: undefined, fieldErrors: missing, email }, { status: 400 });
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
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          hint={`At least ${MIN_PASSWORD} characters.`}
          error={result?.fieldErrors?.password}
        />
        <SubmitButton pendingLabel="Creating account…" className="w-full">
          Sign up
        </SubmitButton>
      </Form>
    </AuthCard>
  );
}
