// Program settings for leads: the active program's name and start date and each
// milestone's wording, schedule and sign-off policy. The layout beside this page is the gate.
import type { Metadata } from "next";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { getProgramSettings } from "@/lib/data/program-settings";
import { ProgramSettingsForm } from "./program-settings-form";

export const metadata: Metadata = { title: "Program settings" };

export default async function ProgramSettingsPage() {
  const user = await requirePageUser();
  const settings = await getProgramSettings(actorOf(user));
  return (
    <div className="mx-auto max-w-5xl space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Program settings</h1>
        <p className="text-sm text-muted">
          The reset&apos;s name, start and milestones. A milestone&apos;s due day counts from the start date; changing
          either moves the due dates of its checkpoints, except dates a lead overrode for a system. Every change is
          recorded in the audit log.
        </p>
      </div>
      {settings ? (
        <ProgramSettingsForm settings={settings} />
      ) : (
        <p className="surface border-base rounded-lg border p-4 text-sm">
          There is no active program yet, so there is nothing to set. An operator can seed the demo program with{" "}
          <code className="font-mono">npm run db:seed</code>.
        </p>
      )}
    </div>
  );
}
