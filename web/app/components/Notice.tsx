import { CircleAlert, Info, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";

const TONES = {
  info: { box: "bg-blue-50 text-blue-900 ring-blue-200", icon: Info },
  warning: { box: "bg-amber-50 text-amber-900 ring-amber-200", icon: TriangleAlert },
  error: { box: "bg-red-50 text-red-900 ring-red-200", icon: CircleAlert },
} as const;

export function Notice({ tone, children }: { tone: keyof typeof TONES; children: ReactNode }) {
  const { box, icon: Icon } = TONES[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "note"}
      className={`flex gap-3 rounded-lg p-3 text-sm ring-1 ring-inset ${box}`}
    >
      <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
