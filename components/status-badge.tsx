import { CheckCircle2, Circle, CircleDashed, CircleSlash, Clock, RotateCcw } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { CheckpointStatus } from "@/lib/domain/schedule";

// One word, one colour and one icon per status, everywhere (docs/ARCHITECTURE.md, section 9).
export const STATUS: Record<CheckpointStatus, { label: string; color: string; Icon: typeof Clock }> = {
  NOT_STARTED: { label: "Not started", color: "var(--color-status-not-started)", Icon: CircleDashed },
  IN_PROGRESS: { label: "In progress", color: "var(--color-status-in-progress)", Icon: Circle },
  SUBMITTED: { label: "Submitted", color: "var(--color-status-submitted)", Icon: Clock },
  CHANGES_REQUESTED: { label: "Changes requested", color: "var(--color-status-changes)", Icon: RotateCcw },
  APPROVED: { label: "Approved", color: "var(--color-status-approved)", Icon: CheckCircle2 },
  WAIVED: { label: "Waived", color: "var(--color-status-waived)", Icon: CircleSlash },
};

export function StatusBadge({ status }: { status: CheckpointStatus }) {
  const { label, color, Icon } = STATUS[status];
  return (
    <Badge color={color} icon={<Icon aria-hidden className="size-3.5" />}>
      {label}
    </Badge>
  );
}
