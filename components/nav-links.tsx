"use client";
// The left navigation's links; a client island only to mark the current page.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { FileText, GitPullRequestArrow, Inbox, LayoutDashboard, ScrollText, Server, Users } from "lucide-react";

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
  return (
    <ul className="flex gap-1 md:flex-col">
      {LINKS.filter((link) => (admin || !link.admin) && (audit || !link.audit)).map(({ href, label, Icon }) => {
        const current = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={current ? "page" : undefined}
              className={`flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium ${
                current ? "bg-[var(--surface-muted)] text-[var(--text)]" : "text-muted hover:bg-[var(--surface-muted)]"
              }`}
            >
              <Icon aria-hidden className="size-4" />
              {label}
              {href === "/my-work" && waiting > 0 ? (
                <span
                  className="ml-auto rounded-full px-1.5 text-xs font-semibold tabular-nums text-white"
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
  );
}
