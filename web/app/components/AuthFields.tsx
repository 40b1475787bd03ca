import { TextField } from "./Field.tsx";

// The fields log-in and sign-up share, spelled once so both forms stay the same to a password manager.

export function EmailField({ defaultValue, error }: { defaultValue?: string; error?: string }) {
  return (
    <TextField
      label="Email"
      name="email"
      type="email"
      autoComplete="email"
      required
      defaultValue={defaultValue}
      error={error}
    />
  );
}

interface PasswordFieldProps {
  /** "current-password" to log in, "new-password" to choose one (with its minimum length). */
  autoComplete: "current-password" | "new-password";
  minLength?: number;
  error?: string;
}

export function PasswordField({ autoComplete, minLength, error }: PasswordFieldProps) {
  return (
    <TextField
      label="Password"
      name="password"
      type="password"
      autoComplete={autoComplete}
      required
      minLength={minLength}
      hint={minLength ? `At least ${minLength} characters.` : undefined}
      error={error}
    />
  );
}
