// The registry's vocabulary (tiers, healths, statuses, columns, page sizes) without zod: the
// registry's client table imports these, and the validation library has no place in a browser
// bundle. The query schemas over them are in systems.schema.ts.
import { Tier } from "@/lib/generated/prisma/enums";

/** Every tier, in the schema's order, for filters and columns. */
export const TIERS = Object.values(Tier);
export const HEALTHS = ["OVERDUE", "AT_RISK", "ON_TRACK", "DONE"] as const;
export const CHECKPOINT_STATUSES = [
  "NOT_STARTED",
  "IN_PROGRESS",
  "SUBMITTED",
  "APPROVED",
  "CHANGES_REQUESTED",
  "WAIVED",
] as const;

/** Columns of the registry table, in display order; every one is sortable. */
export const SYSTEM_COLUMNS = [
  "key",
  "name",
  "team",
  "tier",
  "aiAssisted",
  "owners",
  "reviewers",
  "progress",
  "milestone",
  "nextDue",
  "health",
  "lastActivity",
] as const;
export type SystemColumn = (typeof SYSTEM_COLUMNS)[number];

/** Shown unless the URL says otherwise; the name cell carries the key, so the key column starts hidden. */
// Chosen to fit a 1280-px screen with the navigation; owners, reviewers and the rest are one
// click away in the column picker.
export const DEFAULT_COLUMNS: readonly SystemColumn[] = [
  "name",
  "team",
  "tier",
  "progress",
  "milestone",
  "nextDue",
  "health",
];
export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const SYSTEMS_PAGE_SIZE = 50;
export const SYSTEMS_MAX_PAGE_SIZE = 200;
