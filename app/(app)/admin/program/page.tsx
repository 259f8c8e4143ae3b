// Program settings for leads: the active program's name and start date and each
// milestone's wording, schedule and sign-off policy. The layout beside this page is the gate.
import type { Metadata } from "next";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { milestoneRules } from "@/lib/data/effective-rules";
import { getProgramSettings } from "@/lib/data/program-settings";
import { timeZoneChoices } from "@/lib/domain/time-zone";
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
          The reset&apos;s name, start, time zone and milestones. A milestone&apos;s due day counts from the start date;
          changing either moves the due dates of its checkpoints, except dates a lead overrode for a system. Every
          change is recorded in the audit log.
        </p>
      </div>
      {settings ? (
        <>
          <EffectiveRules milestones={milestoneRules(settings.milestones)} />
          <ProgramSettingsForm settings={settings} timeZones={timeZoneChoices()} />
        </>
      ) : (
        <p className="surface border-base rounded-lg border p-4 text-sm">
          There is no active program yet, so there is nothing to set. An operator can seed the demo program with{" "}
          <code className="font-mono">npm run db:seed</code>.
        </p>
      )}
    </div>
  );
}

/** What each saved milestone really needs, per tier and on AI-assisted systems (rules 5 and 6). */
function EffectiveRules({ milestones }: { milestones: ReturnType<typeof milestoneRules> }) {
  return (
    <section aria-labelledby="effective-rules" className="surface border-base rounded-lg border p-4">
      <h2 id="effective-rules" className="font-medium">
        Effective sign-off rules
      </h2>
      <p className="mt-1 text-sm text-muted">
        What each milestone needs before it counts as approved, as saved below, on each kind of system. A reviewer never
        owns the system nor wrote its evidence.
      </p>
      <ol className="mt-3 space-y-2 text-sm">
        {milestones.map((m) => (
          <li key={m.key}>
            <span className="font-medium">{m.name}</span>
            <ul className="mt-0.5 text-muted">
              {m.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
