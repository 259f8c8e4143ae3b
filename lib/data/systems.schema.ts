// Query input of the systems registry: the /systems page's URL, GET /api/v1/systems and the CSV
// export all read the same parameters (the README's "/systems" table of parameters). Lists (team, tier,
// health, mstatus, cols) are accepted as repeated parameters or comma lists; links we build use
// comma lists.
import { z } from "zod";
import { SLUG_PATTERN } from "@/lib/data/checkpoints.schema";
import { emailSchema } from "@/lib/data/users.schema";
import { wholeNumberParam } from "@/lib/validation/number";
import { singleLineText } from "@/lib/validation/text";
import { Tier } from "@/lib/generated/prisma/enums";
import {
  type SystemColumn,
  CHECKPOINT_STATUSES,
  HEALTHS,
  SYSTEM_COLUMNS,
  SYSTEMS_MAX_PAGE_SIZE,
  SYSTEMS_PAGE_SIZE,
  TIERS,
} from "@/lib/data/systems-columns";

export {
  CHECKPOINT_STATUSES,
  DEFAULT_COLUMNS,
  HEALTHS,
  PAGE_SIZES,
  SYSTEM_COLUMNS,
  SYSTEMS_MAX_PAGE_SIZE,
  SYSTEMS_PAGE_SIZE,
  TIERS,
  type SystemColumn,
} from "@/lib/data/systems-columns";

/** A query-string field left empty (an unfilled filter in a GET form) means "not given". */
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

/** Repeated parameters or comma lists, trimmed, without blanks or repeats. */
const list = <T extends z.ZodType>(item: T, max = 20) =>
  z.preprocess(
    (value) => {
      const values = (Array.isArray(value) ? value : [value])
        .filter((v): v is string => typeof v === "string")
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter(Boolean);
      return values.length ? [...new Set(values)] : undefined;
    },
    z.array(item).max(max, `takes at most ${max} values`).optional(),
  );

const whole = (label: string, min: number, max: number) => wholeNumberParam(label, { min, max });

export const listSystemsSchema = z
  .object({
    q: optional(singleLineText("The search").trim().max(100, "has at most 100 characters")),
    team: list(singleLineText("A team").max(100, "a team name has at most 100 characters")),
    tier: list(z.enum(Tier, { error: `must be ${TIERS.join(", ")}` })),
    health: list(z.enum(HEALTHS, { error: `must be ${HEALTHS.join(", ")}` })),
    owner: optional(emailSchema),
    reviewer: optional(emailSchema),
    milestone: optional(
      singleLineText("The milestone").trim().toLowerCase().regex(SLUG_PATTERN, "must be a milestone key"),
    ),
    mstatus: list(z.enum(CHECKPOINT_STATUSES, { error: `must be ${CHECKPOINT_STATUSES.join(", ")}` })),
    /** Systems with at least one checkpoint (any milestone) in one of these statuses: the dashboard's tiles. */
    status: list(z.enum(CHECKPOINT_STATUSES, { error: `must be ${CHECKPOINT_STATUSES.join(", ")}` })),
    /** Archived systems are left out unless asked for: `include` lists them too, `only` alone. */
    archived: optional(z.enum(["include", "only"], { error: "must be include or only" })),
    /** Systems with a checkpoint no assigned reviewer can ever sign off (rule 14). */
    flag: optional(z.enum(["no-eligible-reviewer"], { error: "must be no-eligible-reviewer" })),
    sort: optional(z.enum(SYSTEM_COLUMNS, { error: `must be one of ${SYSTEM_COLUMNS.join(", ")}` })),
    dir: optional(z.enum(["asc", "desc"], { error: "must be asc or desc" })),
    page: optional(whole("page", 1, 1_000_000)),
    pageSize: optional(whole("pageSize", 1, SYSTEMS_MAX_PAGE_SIZE)),
  })
  .refine((input) => !input.mstatus || input.milestone, {
    message: "needs a milestone to filter on",
    path: ["mstatus"],
  });

export type ListSystemsInput = z.input<typeof listSystemsSchema>;
export type SystemsQuery = z.output<typeof listSystemsSchema>;

/** The page's own extra: which columns are shown. */
export const columnsSchema = list(z.enum(SYSTEM_COLUMNS), SYSTEM_COLUMNS.length);

type Raw = Record<string, string | string[] | undefined>;

/** URLSearchParams (or Next's searchParams object) as a record whose repeated keys are arrays. */
export function queryRecord(params: URLSearchParams | Raw): Raw {
  if (!(params instanceof URLSearchParams)) return params;
  const record: Raw = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length > 1 ? values : values[0];
  }
  return record;
}

/**
 * For the page: a link someone edited by hand should still show a table, so each malformed
 * parameter is dropped on its own instead of failing the whole view (the API answers 400).
 */
export function lenientSystemsQuery(params: Raw): SystemsQuery {
  const shape = listSystemsSchema.shape;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const parsed = shape[key].safeParse(params[key]);
    if (parsed.success) kept[key] = parsed.data;
  }
  if (!kept.milestone) delete kept.mstatus;
  return kept as SystemsQuery;
}

/** The canonical query string of a view (defaults left out), for links and the export. */
export function systemsQueryString(query: Partial<SystemsQuery> & { cols?: readonly SystemColumn[] }): string {
  const params = new URLSearchParams();
  const add = (key: string, value: string | readonly string[] | number | undefined) => {
    if (value === undefined) return;
    const text = Array.isArray(value) ? value.join(",") : String(value);
    if (text) params.set(key, text);
  };
  add("q", query.q);
  add("team", query.team);
  add("tier", query.tier);
  add("health", query.health);
  add("owner", query.owner);
  add("reviewer", query.reviewer);
  add("milestone", query.milestone);
  add("mstatus", query.milestone ? query.mstatus : undefined);
  add("status", query.status);
  add("archived", query.archived);
  add("flag", query.flag);
  add("sort", query.sort);
  add("dir", query.dir);
  if (query.page && query.page > 1) add("page", query.page);
  if (query.pageSize && query.pageSize !== SYSTEMS_PAGE_SIZE) add("pageSize", query.pageSize);
  add("cols", query.cols);
  return params.toString();
}
