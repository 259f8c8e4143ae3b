// A system's recent production changes, with their gate decisions and outcomes, self-contained so
// that the system page renders it with one line.
import Link from "next/link";
import { Bot } from "lucide-react";
import { ChangeStatusBadge } from "@/components/changes/change-status-badge";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { listChanges } from "@/lib/data/changes";
import { formatDateTime } from "@/lib/format";

export async function SystemChanges({ systemKey }: { systemKey: string }) {
  const user = await requirePageUser();
  const changes = await listChanges(actorOf(user), { system: systemKey, limit: 10 });
  return (
    <section aria-labelledby="system-changes" className="surface border-base rounded-lg border p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="system-changes" className="font-medium">
          Production changes
        </h2>
        <Link href={`/changes?system=${systemKey}`} className="text-sm underline">
          All changes of this system
        </Link>
      </div>
      {changes.length ? (
        <ul className="mt-2 divide-y divide-[var(--border)] text-sm">
          {changes.map((c) => (
            <li key={c.id} className="flex flex-wrap items-start justify-between gap-2 py-2">
              <div>
                <Link href={`/changes/${c.id}`} className="font-medium underline">
                  {c.title}
                </Link>
                {c.aiAssisted ? (
                  <span className="ml-2 inline-flex items-center gap-1 text-xs text-muted">
                    <Bot aria-hidden className="size-3.5" /> AI-assisted
                  </span>
                ) : null}
                <span className="block text-xs text-muted">
                  {c.author.name} · {formatDateTime(new Date(c.createdAt))}
                  {c.status === "blocked" && c.decision.reasons[0] ? ` · ${c.decision.reasons[0]}` : ""}
                  {c.outcomes.some((o) => o.kind === "SHIPPED" && !o.allowed) ? " · shipped while blocked" : ""}
                </span>
              </div>
              <ChangeStatusBadge status={c.status} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-muted">
          No changes registered for this system yet. Its owners register them on the{" "}
          <Link href={`/changes?system=${systemKey}`} className="underline">
            Changes
          </Link>{" "}
          page.
        </p>
      )}
    </section>
  );
}
