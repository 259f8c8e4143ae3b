// The outcome of walking the audit hash chain, as a badge: an icon and words, never colour alone.
import { Clock, ShieldAlert, ShieldCheck } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { AuditVerification } from "@/lib/data/audit";

const count = (n: number) => `${n.toLocaleString("en-US")} event${n === 1 ? "" : "s"}`;

/** `null` while the chain is still being walked. */
export function AuditChainBadge({ result }: { result: AuditVerification | null }) {
  if (result === null) {
    return (
      <Badge color="var(--color-status-not-started)" icon={<Clock aria-hidden className="size-3.5" />}>
        Verifying the chain…
      </Badge>
    );
  }
  if (result.ok) {
    return (
      <Badge color="var(--color-status-approved)" icon={<ShieldCheck aria-hidden className="size-3.5" />}>
        Chain verified · {count(result.events)}
      </Badge>
    );
  }
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Badge color="var(--color-health-overdue)" icon={<ShieldAlert aria-hidden className="size-3.5" />}>
        Chain broken at #{result.brokenAt}
      </Badge>
      <span className="text-sm">
        Event #{result.brokenAt} no longer matches its recorded hash, so the trail was changed outside Resetboard from
        there on. Tell the program&apos;s operators;{" "}
        <code className="font-mono text-xs">npm run cli -- audit verify</code> gives the same answer.
      </span>
    </span>
  );
}
