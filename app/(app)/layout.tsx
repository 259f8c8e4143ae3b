import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { countMyWork } from "@/lib/data/my-work-count";
import { unreadCount } from "@/lib/data/notifications";
import { getActiveProgram } from "@/lib/data/program";

// The signed-in part of the app. This check sends signed-out people to the sign-in page; it is
// not the authorization: every page, action and handler checks what the user may do itself.
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  // The counts only: the navigation must not load the whole list on every page.
  const [program, waiting, unread] = await Promise.all([
    getActiveProgram(),
    countMyWork(actorOf(user)),
    unreadCount(actorOf(user)),
  ]);
  return (
    <AppShell program={program} user={user} waiting={waiting} unread={unread}>
      {children}
    </AppShell>
  );
}
