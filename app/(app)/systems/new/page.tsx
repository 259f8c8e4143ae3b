import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { SystemForm } from "@/components/system-form";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { listTeams } from "@/lib/data/system-admin";
import { Forbidden } from "@/lib/errors";
import { createSystemAction } from "./actions";

export const metadata: Metadata = { title: "New system" };

export default async function NewSystemPage() {
  const user = await requirePageUser();
  // listTeams authorizes (leads only) and records a refusal; a refusal renders the 403 page.
  const teams = await listTeams(actorOf(user)).catch((error: unknown) => {
    if (error instanceof Forbidden) forbidden();
    throw error;
  });
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <Link href="/systems" className="inline-flex items-center gap-1 text-sm text-muted hover:underline">
        <ArrowLeft aria-hidden className="size-4" /> All systems
      </Link>
      <div>
        <h1 className="text-xl font-semibold tracking-tight">New system</h1>
        <p className="text-sm text-muted">
          The system gets a checkpoint for every milestone of the active program, due on the milestone&apos;s day.
          Assign owners and reviewers on the next page.
        </p>
      </div>
      <section className="surface border-base rounded-lg border p-4">
        <SystemForm
          mode="create"
          teams={teams}
          action={createSystemAction}
          initial={{
            key: "",
            name: "",
            team: "",
            tier: "TIER_1",
            aiAssisted: false,
            description: "",
            repoUrl: "",
            runbookUrl: "",
          }}
        />
      </section>
    </div>
  );
}
