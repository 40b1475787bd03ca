import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { type ButtonVariant, buttonClass } from "./Button.tsx";

interface DialogTriggerProps {
  id: string;
  /** The dialog's route; a GET form so the trigger is a real button and still works without JavaScript. */
  to: string;
  params?: Record<string, string>;
  variant?: ButtonVariant;
  className?: string;
  children: ReactNode;
}

export function DialogTrigger({
  id,
  to,
  params = {},
  variant = "primary",
  className = "",
  children,
}: DialogTriggerProps) {
  return (
    <Form method="get" action={to} preventScrollReset className="contents">
      {Object.entries(params).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button id={id} type="submit" aria-haspopup="dialog" className={buttonClass(variant, className)}>
        {children}
      </button>
    </Form>
  );
}
