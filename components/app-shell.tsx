// The frame of every page: left navigation and a top bar with the program and today's day.
import type { ReactNode } from "react";
import { ShieldCheck } from "lucide-react";
import { NavLinks } from "@/components/nav-links";
import { NotificationBell } from "@/components/notification-bell";
import { ToastProvider } from "@/components/ui/toast";
import { UserMenu } from "@/components/user-menu";
import { ROLE_LABEL, SENIORITY_LABEL, can } from "@/lib/domain/permissions";
import type { SessionUser } from "@/lib/auth/session";
import type { ProgramSummary } from "@/lib/data/program";

function ProgramDay({ program }: { program: ProgramSummary | null }) {
  if (!program) return <span className="text-sm text-muted">No active program</span>;
  const ended = program.day > program.durationDays;
  return (
    <div className="flex min-w-0 items-baseline gap-3">
      <span className="truncate text-sm font-semibold">{program.name}</span>
      <span className="whitespace-nowrap text-sm tabular-nums text-muted">
        {program.day === 0
          ? "Not started"
          : ended
            ? `Ended (${program.durationDays} days)`
            : `Day ${program.day} of ${program.durationDays}`}
      </span>
    </div>
  );
}

export function AppShell({
  program,
  user,
  waiting,
  unread = 0,
  children,
}: {
  program: ProgramSummary | null;
  user: SessionUser;
  /** Items waiting on the user, shown on "My work". */
  waiting: number;
  /** Unread notifications, shown on the bell. */
  unread?: number;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a
        href="#main"
        className="print:hidden sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 surface rounded px-3 py-2"
      >
        Skip to content
      </a>
      <nav
        aria-label="Main"
        className="print:hidden surface border-base flex min-w-0 shrink-0 flex-wrap items-center gap-2 border-b px-3 py-2 md:w-52 md:flex-col md:flex-nowrap md:items-stretch md:gap-4 md:border-b-0 md:border-r md:py-4"
      >
        <div className="flex items-center gap-2 px-2 md:mb-4">
          <ShieldCheck aria-hidden className="size-5" style={{ color: "var(--color-status-approved)" }} />
          <span className="font-semibold tracking-tight">Resetboard</span>
        </div>
        <NavLinks admin={can(user, "user.manage")} audit={can(user, "audit.read")} waiting={waiting} />
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="print:hidden surface border-base flex h-12 items-center justify-between gap-3 border-b px-4 md:px-6">
          <ProgramDay program={program} />
          <div className="flex items-center gap-2">
            <NotificationBell unread={unread} />
            <UserMenu
              name={user.name}
              email={user.email}
              role={ROLE_LABEL[user.role]}
              seniority={SENIORITY_LABEL[user.seniority]}
            />
          </div>
        </header>
        <main id="main" className="min-w-0 flex-1 px-4 py-5 md:px-6 print:p-0">
          <ToastProvider>{children}</ToastProvider>
        </main>
      </div>
    </div>
  );
}
