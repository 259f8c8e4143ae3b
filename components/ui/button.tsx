import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger";

const STYLES: Record<Variant, string> = {
  primary: "text-[var(--on-accent)] bg-[var(--color-status-submitted)] hover:opacity-90",
  secondary: "border border-[var(--border)] surface hover:bg-[var(--surface-muted)]",
  danger:
    "border border-[var(--color-health-overdue)] text-[var(--color-health-overdue)] hover:bg-[var(--surface-muted)]",
};

/** A button's look, for an element that must be another component's button (a dialog's opener). */
export function buttonClass(variant: Variant = "secondary", className = "") {
  return `inline-flex h-8 items-center justify-center gap-1.5 whitespace-nowrap rounded-md px-3 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60 ${STYLES[variant]} ${className}`;
}

export function Button({
  variant = "secondary",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button type="button" {...props} className={buttonClass(variant, className)} />;
}
