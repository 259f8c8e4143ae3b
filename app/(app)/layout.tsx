import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { requirePageUser } from "@/lib/auth/session";
import { getActiveProgram } from "@/lib/data/program";

// The signed-in part of the app. This check sends signed-out people to the sign-in page; it is
// not the authorization: every page, action and handler checks what the user may do itself.
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const program = await getActiveProgram();
  return (
    <AppShell program={program} user={user}>
      {children}
    </AppShell>
  );
}
