import { AlertTriangle, CheckCircle2, CircleDot, Clock } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { Health } from "@/lib/domain/schedule";

const HEALTH: Record<Health, { label: string; color: string; Icon: typeof Clock }> = {
  OVERDUE: { label: "Overdue", color: "var(--color-health-overdue)", Icon: AlertTriangle },
  AT_RISK: { label: "At risk", color: "var(--color-health-at-risk)", Icon: Clock },
  ON_TRACK: { label: "On track", color: "var(--color-health-on-track)", Icon: CircleDot },
  DONE: { label: "Done", color: "var(--color-health-done)", Icon: CheckCircle2 },
};

export function HealthBadge({ health }: { health: Health }) {
  const { label, color, Icon } = HEALTH[health];
  return (
    <Badge color={color} icon={<Icon aria-hidden className="size-3.5" />}>
      {label}
    </Badge>
  );
}
