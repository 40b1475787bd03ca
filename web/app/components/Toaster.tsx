import { CircleAlert, CircleCheck, X } from "lucide-react";
import { useEffect, useState } from "react";
import type { Toast } from "../lib/session.server.ts";

/** Shows the session's flash message; it stays until dismissed or, with JavaScript, for a few seconds. */
export function Toaster({ toast: flashed }: { toast: Toast | null }) {
  // A dialog's own refusal is shown inside that dialog (see Dialog), not under it.
  const toast = flashed?.placement === "dialog" ? null : flashed;
  const [visible, setVisible] = useState<Toast | null>(toast);

  useEffect(() => {
    setVisible(toast);
    if (!toast || toast.kind === "error") return;
    const timer = setTimeout(() => setVisible(null), 6000);
    return () => clearTimeout(timer);
  }, [toast]);

  const isError = visible?.kind === "error";
  const Icon = isError ? CircleAlert : CircleCheck;
  return (
    <div
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-3 z-[60] flex justify-center px-3 sm:bottom-6 sm:justify-end sm:px-6"
    >
      {visible && (
        <div
          role={isError ? "alert" : "status"}
          className={`pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-xl p-4 text-sm shadow-lg ring-1 ${
            isError ? "bg-red-50 text-red-900 ring-red-200" : "bg-white text-slate-900 ring-slate-200"
          }`}
        >
          <Icon
            aria-hidden="true"
            className={`mt-0.5 size-5 shrink-0 ${isError ? "text-red-600" : "text-emerald-600"}`}
          />
          <p className="flex-1">{visible.message}</p>
          <button
            type="button"
            onClick={() => setVisible(null)}
            aria-label="Dismiss notification"
            className="rounded p-0.5 text-slate-500 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            <X aria-hidden="true" className="size-4" />
          </button>
        </div>
      )}
    </div>
  );
}
