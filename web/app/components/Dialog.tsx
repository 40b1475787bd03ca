import { Link, useLocation, useNavigate, useRouteLoaderData } from "@remix-run/react";
import { CircleAlert, X } from "lucide-react";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import type { loader as rootLoader } from "../root.tsx";

interface DialogProps {
  title: string;
  description?: ReactNode;
  /** Where closing leads: dialogs are routes, so they open and close by URL and work without JavaScript. */
  closeTo: string;
  /** The element that opened the dialog, focused again when it closes (the first of them that is shown). */
  returnFocusId?: string | string[];
  size?: "md" | "xl";
  children: ReactNode;
}

/**
 * A native <dialog>. The server renders it open (non-modal) so it works without JavaScript; once
 * hydrated it is re-opened with showModal(), which traps focus, makes the page inert and turns
 * Escape into a `cancel` event that we route to `closeTo`.
 */
export function Dialog({ title, description, closeTo, returnFocusId, size = "md", children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const navigate = useNavigate();
  const titleId = useId();
  const descriptionId = useId();
  const [modal, setModal] = useState(false);
  // Read at event time, so a changed URL (e.g. a filter) does not re-open the dialog.
  const closeToRef = useRef(closeTo);
  closeToRef.current = closeTo;

  // biome-ignore lint/correctness/useExhaustiveDependencies: opens once on mount; later values are read through refs at event time.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog.open) dialog.close();
    dialog.showModal();
    setModal(true);
    const onCancel = (event: Event) => {
      event.preventDefault();
      navigate(closeToRef.current, { preventScrollReset: true });
    };
    dialog.addEventListener("cancel", onCancel);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      const ids = typeof returnFocusId === "string" ? [returnFocusId] : (returnFocusId ?? []);
      const shown = ids
        .map((id) => document.getElementById(id))
        .find((element) => element && element.offsetParent !== null);
      const target = shown || opener;
      target?.focus();
    };
    // Opened once per mount; the return target is the one known when it opened.
  }, []);

  const width = size === "xl" ? "max-w-5xl" : "max-w-lg";
  return (
    <>
      {!modal && <div aria-hidden="true" className="fixed inset-0 z-40 bg-slate-900/55" />}
      <dialog
        ref={ref}
        open
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        className={`fixed inset-0 z-50 m-auto h-fit max-h-[92vh] w-[calc(100%-1.5rem)] ${width} overflow-y-auto rounded-2xl bg-white p-0 text-slate-900 shadow-2xl`}
      >
        <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-4 sm:px-6">
          <div>
            <h2 id={titleId} className="text-lg font-semibold">
              {title}
            </h2>
            {description && (
              <p id={descriptionId} className="mt-1 text-sm text-slate-600">
                {description}
              </p>
            )}
          </div>
          <Link
            to={closeTo}
            preventScrollReset
            aria-label="Close"
            className="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            <X aria-hidden="true" className="size-5" />
          </Link>
        </div>
        <div className="px-5 py-5 sm:px-6">
          <DialogError />
          {children}
        </div>
      </dialog>
    </>
  );
}

/**
 * A refusal from the action this dialog submitted (flashed with placement "dialog"), shown where
 * the user is looking. Dismissing is a link to the same URL, so it works without JavaScript too.
 */
function DialogError() {
  const toast = useRouteLoaderData<typeof rootLoader>("root")?.toast;
  const location = useLocation();
  const [dismissed, setDismissed] = useState<unknown>(null);
  if (toast?.placement !== "dialog" || dismissed === toast) return null;
  return (
    <div
      role="alert"
      className="mb-5 flex items-start gap-3 rounded-lg bg-red-50 p-3 text-sm text-red-900 ring-1 ring-inset ring-red-200"
    >
      <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-red-600" />
      <p className="min-w-0 flex-1">{toast.message}</p>
      <Link
        to={location.pathname + location.search}
        replace
        preventScrollReset
        onClick={(event) => {
          event.preventDefault();
          setDismissed(toast);
        }}
        aria-label="Dismiss error"
        className="rounded p-0.5 text-red-700 hover:text-red-900 focus-visible:outline-2 focus-visible:outline-red-600"
      >
        <X aria-hidden="true" className="size-4" />
      </Link>
    </div>
  );
}

/** The dialog's actions, kept in view at the bottom while the content above them scrolls. */
export function DialogFooter({ children }: { children: ReactNode }) {
  return (
    <div className="sticky bottom-0 z-10 -mx-5 -mb-5 mt-6 flex flex-col-reverse gap-3 border-t border-slate-200 bg-white px-5 py-4 sm:-mx-6 sm:flex-row sm:justify-end sm:px-6">
      {children}
    </div>
  );
}
