import type { ReactNode } from "react";

/** A small label. Colour comes from the caller and is always paired with the text (never colour alone). */
export function Badge({ color, icon, children }: { color: string; icon?: ReactNode; children: ReactNode }) {
  return (
    <span
      className="inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium"
      // The text is the colour pulled 30% towards the page's text colour: the pure status colours
      // (orange, amber) fall just short of 4.5:1 on their own tint; this clears AA in both themes.
      style={{
        color: `color-mix(in srgb, ${color} 70%, var(--text))`,
        borderColor: `color-mix(in srgb, ${color} 45%, transparent)`,
        background: `color-mix(in srgb, ${color} 10%, transparent)`,
      }}
    >
      {icon}
      {children}
    </span>
  );
}
