"use client";
// The navigation's links, a client island to mark the current page and, on a phone, to fold the
// links behind a "Menu" button (a row of links would run off a 390-px screen with no hint).
import { useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  FileText,
  GitPullRequestArrow,
  Inbox,
  LayoutDashboard,
  Menu,
  ScrollText,
  Server,
  Users,
  X,
} from "lucide-react";

// Pages join this list as they are built; a link to a page that does not exist yet is not shown.
const LINKS = [
  { href: "/dashboard", label: "Dashboard", Icon: LayoutDashboard, admin: false },
  { href: "/my-work", label: "My work", Icon: Inbox, admin: false },
  { href: "/systems", label: "Systems", Icon: Server, admin: false },
  { href: "/changes", label: "Changes", Icon: GitPullRequestArrow, admin: false },
  { href: "/audit", label: "Audit", Icon: ScrollText, admin: false, audit: true },
  { href: "/report", label: "Report", Icon: FileText, admin: false },
  { href: "/admin/users", label: "Admin", Icon: Users, admin: true },
];

/** `admin` and `audit` only decide whether links show; those pages check the role themselves. */
export function NavLinks({ admin, audit, waiting }: { admin: boolean; audit: boolean; waiting: number }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const links = LINKS.filter((link) => (admin || !link.admin) && (audit || !link.audit));
  const here = links.find(({ href }) => pathname === href || pathname.startsWith(`${href}/`));
  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="main-nav-links"
        onClick={() => setOpen((value) => !value)}
        className="border-base ml-auto inline-flex h-8 items-center gap-1.5 rounded-md border px-2.5 text-sm font-medium md:hidden"
      >
        {open ? <X aria-hidden className="size-4" /> : <Menu aria-hidden className="size-4" />}
        Menu
        {here ? <span className="text-muted">· {here.label}</span> : null}
        {!open && waiting > 0 ? (
          <span
            className="relative rounded-full px-1.5 text-xs font-semibold tabular-nums text-[var(--on-accent)]"
            style={{ background: "var(--color-status-submitted)" }}
          >
            {waiting}
            <span className="sr-only"> waiting</span>
          </span>
        ) : null}
      </button>
      <ul
        id="main-nav-links"
        className={`${open ? "flex" : "hidden"} w-full basis-full flex-col gap-1 md:flex md:w-auto md:basis-auto`}
      >
        {links.map(({ href, label, Icon }) => {
          const current = here?.href === href;
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                // A followed link closes the phone menu.
                onClick={() => setOpen(false)}
                className={`relative flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium ${
                  current
                    ? "bg-[var(--surface-muted)] text-[var(--text)]"
                    : "text-muted hover:bg-[var(--surface-muted)]"
                }`}
              >
                <Icon aria-hidden className="size-4" />
                {label}
                {href === "/my-work" && waiting > 0 ? (
                  // relative: the screen-reader text is absolutely positioned and must stay inside the link.
                  <span
                    className="relative ml-auto rounded-full px-1.5 text-xs font-semibold tabular-nums text-[var(--on-accent)]"
                    style={{ background: "var(--color-status-submitted)" }}
                  >
                    {waiting}
                    <span className="sr-only"> waiting</span>
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </>
  );
}
