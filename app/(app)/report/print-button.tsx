"use client";
// A client island only because printing is a browser action.
import { Printer } from "lucide-react";

export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="inline-flex items-center gap-1.5 rounded-md bg-[var(--text)] px-3 py-1.5 text-sm font-medium text-[var(--surface)] hover:opacity-90"
    >
      <Printer aria-hidden className="size-4" />
      Print or save as PDF
    </button>
  );
}
