import type { ReactNode } from "react";

/** A small label. Colour comes from the caller and is always paired with the text (never colour alone). */
export function Badge({ color, icon, children }: { color: string; icon?: ReactNode; children: ReactNode }) {
  return (
    <span
      className="inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium"
      style={{ color, borderColor: `color-mix(in srgb, ${color} 45%, transparent)`, background: `color-mix(in srgb, ${color} 10%, transparent)` }}
    >
      {icon}
      {children}
    </span>
  );
}
