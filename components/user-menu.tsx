"use client";
// The user menu in the top bar: who you are (role and seniority), your settings, sign out.
// A disclosure button: Escape or a click elsewhere closes it and focus returns to the button.
import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { signOut } from "@/lib/auth/browser";
import { ChevronDown, LogOut, Settings } from "lucide-react";

export function UserMenu({
  name,
  email,
  role,
  seniority,
}: {
  name: string;
  email: string;
  role: string;
  seniority: string;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls="user-menu"
        aria-label={`Account menu for ${name}`}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-[var(--surface-muted)]"
      >
        <span className="max-w-32 truncate font-medium sm:max-w-none">{name}</span>
        <span className="hidden text-muted sm:inline">
          {role} · {seniority}
        </span>
        <ChevronDown aria-hidden className="size-4 text-muted" />
      </button>
      {open ? (
        <div
          id="user-menu"
          className="surface border-base absolute right-0 z-20 mt-1 w-64 rounded-md border p-1 shadow-lg"
        >
          <div className="px-3 py-2 text-sm">
            <div className="font-medium">{name}</div>
            <div className="truncate text-muted">{email}</div>
            <div className="mt-1 text-xs text-muted">
              {role} · {seniority}
            </div>
          </div>
          <Link
            href="/settings"
            onClick={() => setOpen(false)}
            className="flex items-center gap-2 rounded px-3 py-1.5 text-sm hover:bg-[var(--surface-muted)]"
          >
            <Settings aria-hidden className="size-4" />
            Settings and API tokens
          </Link>
          <button
            type="button"
            onClick={() => void signOut("/signin")}
            className="flex w-full items-center gap-2 rounded px-3 py-1.5 text-left text-sm hover:bg-[var(--surface-muted)]"
          >
            <LogOut aria-hidden className="size-4" />
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
