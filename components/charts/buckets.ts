// The milestone chart's buckets in the one status vocabulary (docs/ARCHITECTURE.md, section 9): the same
// words and colours as the status badges, overdue in the health colour.
import type { Bucket } from "@/lib/domain/progress";

export const BUCKET_META: Record<Bucket, { label: string; color: string }> = {
  approved: { label: "Approved", color: "var(--color-status-approved)" },
  waived: { label: "Waived", color: "var(--color-status-waived)" },
  submitted: { label: "Submitted", color: "var(--color-status-submitted)" },
  inProgress: { label: "In progress", color: "var(--color-status-in-progress)" },
  notStarted: { label: "Not started", color: "var(--color-status-not-started)" },
  overdue: { label: "Overdue", color: "var(--color-health-overdue)" },
};

export function percent(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${Math.round((part / whole) * 100)}%`;
}
