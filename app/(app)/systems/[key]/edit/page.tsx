import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { AssignmentsEditor } from "@/components/assignments-editor";
import { SystemForm } from "@/components/system-form";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getSystemForEdit, listAssignableUsers, listTeams } from "@/lib/data/system-admin";
import { Forbidden, NotFound } from "@/lib/errors";
import { setAssignmentsAction, updateSystemAction } from "./actions";

type Params = Promise<{ key: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Edit ${(await params).key}` };
}

export default async function EditSystemPage({ params }: { params: Params }) {
  const { key } = await params;
  const actor = actorOf(await requirePageUser());
  // getSystemForEdit authorizes (leads only) and records a refusal; a refusal renders the 403 page.
  const system = await getSystemForEdit(actor, key).catch((error: unknown) => {
    if (error instanceof Forbidden) forbidden();
    if (error instanceof NotFound) notFound();
    throw error;
  });
  const [teams, people] = await Promise.all([listTeams(actor), listAssignableUsers(actor)]);
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <Link
        href={`/systems/${system.key}`}
        className="inline-flex items-center gap-1 text-sm text-muted hover:underline"
      >
        <ArrowLeft aria-hidden className="size-4" /> Back to {system.name}
      </Link>
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Edit {system.name}</h1>
        <p className="font-mono text-xs text-muted">{system.key}</p>
      </div>
      <section aria-labelledby="details" className="surface border-base rounded-lg border p-4">
        <h2 id="details" className="mb-3 font-medium">
          Details
        </h2>
        <SystemForm mode="edit" teams={teams} action={updateSystemAction} initial={system} />
      </section>
      <section aria-labelledby="people" className="surface border-base rounded-lg border p-4">
        <h2 id="people" className="font-medium">
          Owners and reviewers
        </h2>
        <p className="mb-3 text-sm text-muted">
          Owners add evidence and submit; reviewers sign off. Nobody can be both on the same system.
        </p>
        <AssignmentsEditor
          systemKey={system.key}
          version={system.assignmentsVersion}
          people={people}
          owners={system.owners}
          reviewers={system.reviewers}
          submittedCheckpoints={system.submittedCheckpoints}
          action={setAssignmentsAction}
        />
      </section>
    </div>
  );
}
