"use client";
// The admin area's sections as small tabs (links, one per page); a client island only to mark
// the current one. The main navigation's "Admin" link lands on the first.
import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/program", label: "Program" },
  { href: "/admin/service-accounts", label: "Service accounts" },
  { href: "/admin/notifications", label: "Notifications" },
];

export function AdminTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin sections" className="border-base mx-auto mb-5 max-w-7xl border-b">
      <ul className="-mb-px flex gap-1">
        {TABS.map(({ href, label }) => {
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={`inline-block border-b-2 px-3 py-1.5 text-sm font-medium ${
                  current
                    ? "border-[var(--color-status-submitted)] text-[var(--text)]"
                    : "border-transparent text-muted hover:text-[var(--text)]"
                }`}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
