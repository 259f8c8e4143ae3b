// The registry's filters: a plain GET form, so a filtered view is a URL (shareable, survives a
// reload) and works before any script has loaded. Lists given in the URL (tier=TIER_0,TIER_1)
// show as one combined choice.
import Link from "next/link";
import { Search } from "lucide-react";
import { PersonField } from "@/components/person-field";
import { Disclosure } from "@/components/ui/disclosure";
import { STATUS } from "@/components/status-badge";
import { tierLabel } from "@/components/tier-label";
import type { SystemFilterOptions } from "@/lib/data/systems";
import { HEALTH_LABEL } from "@/lib/labels";
import { CHECKPOINT_STATUSES, HEALTHS, TIERS, type SystemColumn, type SystemsQuery } from "@/lib/data/systems.schema";

const control = "border-base surface h-8 w-full rounded-md border px-2 text-sm";

function Choice({
  label,
  name,
  value,
  options,
}: {
  label: string;
  name: string;
  value: readonly string[] | string | undefined;
  options: readonly (readonly [string, string])[];
}) {
  const current = Array.isArray(value) ? value.join(",") : ((value as string | undefined) ?? "");
  const all =
    current && !options.some(([v]) => v === current)
      ? [
          ...options,
          [
            current,
            current
              .split(",")
              .map((v) => options.find(([o]) => o === v)?.[1] ?? v)
              .join(", "),
          ] as const,
        ]
      : options;
  return (
    <div className="min-w-0">
      <label htmlFor={`filter-${name}`} className="block text-xs font-medium text-muted">
        {label}
      </label>
      <select id={`filter-${name}`} name={name} defaultValue={current} className={`${control} mt-1`}>
        <option value="">Any</option>
        {all.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function Person({ label, name, value }: { label: string; name: string; value: string | undefined }) {
  return (
    <div className="min-w-0">
      <label htmlFor={`filter-${name}`} className="block text-xs font-medium text-muted">
        {label}
      </label>
      <PersonField
        id={`filter-${name}`}
        name={name}
        defaultValue={value ?? ""}
        placeholder="name@company.com"
        className={`${control} mt-1`}
      />
    </div>
  );
}

export function SystemsFilters({
  query,
  options,
  hidden,
  clearHref,
  filtered,
}: {
  query: SystemsQuery;
  options: SystemFilterOptions;
  hidden: {
    sort?: string;
    dir?: string;
    pageSize?: number;
    cols?: readonly SystemColumn[];
    /** The dashboard tiles' checkpoint-status filter has no control here; it rides along. */
    status?: readonly string[];
  };
  clearHref: string;
  filtered: boolean;
}) {
  const active = [
    query.team,
    query.tier,
    query.health,
    query.owner,
    query.reviewer,
    query.milestone,
    query.mstatus,
  ].filter(Boolean).length;
  return (
    <form
      role="search"
      aria-label="Filter systems"
      action="/systems"
      className="surface border-base mb-3 rounded-lg border p-3"
    >
      {hidden.sort ? <input type="hidden" name="sort" value={hidden.sort} /> : null}
      {hidden.dir ? <input type="hidden" name="dir" value={hidden.dir} /> : null}
      {hidden.pageSize ? <input type="hidden" name="pageSize" value={hidden.pageSize} /> : null}
      {hidden.cols ? <input type="hidden" name="cols" value={hidden.cols.join(",")} /> : null}
      {hidden.status?.length ? <input type="hidden" name="status" value={hidden.status.join(",")} /> : null}
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 basis-56">
          <label htmlFor="systems-q" className="block text-xs font-medium text-muted">
            Search systems
          </label>
          {/* The ring is drawn on the box, since the input inside it has none of its own. */}
          <div className="border-base surface mt-1 flex h-8 items-center gap-2 rounded-md border px-2 focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-[var(--color-status-submitted)]">
            <Search aria-hidden className="size-4 shrink-0 text-muted" />
            <input
              id="systems-q"
              name="q"
              type="search"
              defaultValue={query.q ?? ""}
              placeholder="Name, key or team"
              maxLength={100}
              className="w-full min-w-0 bg-transparent text-sm outline-none"
            />
          </div>
        </div>
        <button
          type="submit"
          className="h-8 rounded-md bg-[var(--color-status-submitted)] px-3 text-sm font-medium text-[var(--on-accent)] hover:opacity-90"
        >
          Search
        </button>
        {filtered ? (
          <Link href={clearHref} className="h-8 whitespace-nowrap px-1 text-sm leading-8 underline">
            Clear filters
          </Link>
        ) : null}
      </div>
      {/* Open whenever a filter is set, so the view's filters are always in sight. */}
      <Disclosure defaultOpen={active > 0} className="mt-2" label={`Filters${active ? ` (${active} active)` : ""}`}>
        <div className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
          <Choice label="Team" name="team" value={query.team} options={options.teams.map((t) => [t, t] as const)} />
          <Choice label="Tier" name="tier" value={query.tier} options={TIERS.map((t) => [t, tierLabel(t)] as const)} />
          <Choice
            label="Health"
            name="health"
            value={query.health}
            options={HEALTHS.map((h) => [h, HEALTH_LABEL[h]] as const)}
          />
          <Choice
            label="Milestone"
            name="milestone"
            value={query.milestone}
            options={options.milestones.map((m) => [m.key, m.name] as const)}
          />
          <Choice
            label="Milestone status"
            name="mstatus"
            value={query.mstatus}
            options={CHECKPOINT_STATUSES.map((s) => [s, STATUS[s].label] as const)}
          />
          <Person label="Owner" name="owner" value={query.owner} />
          <Person label="Reviewer" name="reviewer" value={query.reviewer} />
        </div>
        <button
          type="submit"
          className="surface border-base mt-3 h-8 rounded-md border px-3 text-sm font-medium hover:bg-[var(--surface-muted)]"
        >
          Apply filters
        </button>
      </Disclosure>
    </form>
  );
}
