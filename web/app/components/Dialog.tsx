import { Link, useNavigate } from "@remix-run/react";
import { X } from "lucide-react";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";

interface DialogProps {
  title: string;
  description?: string;
  /** Where closing leads: dialogs are routes, so they open and close by URL and work without JavaScript. */
  closeTo: string;
  /** The element that opened the dialog, focused again when it closes. */
  returnFocusId?: string;
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
      const target = (returnFocusId && document.getElementById(returnFocusId)) || opener;
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
        <div className="px-5 py-5 sm:px-6">{children}</div>
      </dialog>
    </>
  );
}
