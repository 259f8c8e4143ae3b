import { ShieldAlert, ShieldCheck, Rocket, Undo2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { ChangeStatus } from "@/lib/data/changes.schema";

// A change's status: one word, one colour, one icon, everywhere changes are shown.
export const CHANGE_STATUS: Record<ChangeStatus, { label: string; color: string; Icon: typeof Rocket }> = {
  blocked: { label: "Blocked", color: "var(--color-status-changes)", Icon: ShieldAlert },
  allowed: { label: "Allowed", color: "var(--color-status-approved)", Icon: ShieldCheck },
  shipped: { label: "Shipped", color: "var(--color-status-submitted)", Icon: Rocket },
  rolled_back: { label: "Rolled back", color: "var(--color-status-waived)", Icon: Undo2 },
};

export function ChangeStatusBadge({ status }: { status: ChangeStatus }) {
  const { label, color, Icon } = CHANGE_STATUS[status];
  return (
    <Badge color={color} icon={<Icon aria-hidden className="size-3.5" />}>
      {label}
    </Badge>
  );
}
