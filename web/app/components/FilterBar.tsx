import { Form, useSubmit } from "@remix-run/react";
import { Filter } from "lucide-react";
import type { ReactNode } from "react";
import { buttonClass } from "./Button.tsx";

/**
 * A GET form, so filters live in the URL. Changing a select submits at once when JavaScript runs;
 * the Apply button covers the no-JavaScript case. Page is left out so a new filter starts at page 1.
 */
export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  const submit = useSubmit();
  return (
    <Form
      method="get"
      role="search"
      aria-label={label}
      preventScrollReset
      onChange={(event) => {
        if (event.target instanceof HTMLSelectElement) submit(event.currentTarget, { preventScrollReset: true });
      }}
      className="flex flex-col gap-3 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:flex-row sm:items-end"
    >
      {children}
      <button type="submit" className={buttonClass("secondary", "sm:self-end")}>
        <Filter aria-hidden="true" className="size-4" /> Apply
      </button>
    </Form>
  );
}
