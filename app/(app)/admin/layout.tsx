// The admin area's frame: its sections as tabs, shown to the people who may use them. Each page
// still authorizes itself (or its own layout does); this only decides what is shown.
import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin-tabs";
import { can } from "@/lib/domain/permissions";
import { requirePageUser } from "@/lib/auth/session";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <>
      {can(user, "program.manage") ? <AdminTabs /> : null}
      {children}
    </>
  );
}
