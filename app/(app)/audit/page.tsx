// The audit log (docs/RULES.md, section 9) for leads and executives: every recorded change, newest
// first, filtered through the URL, under a badge that says whether the hash chain holds.
import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { AuditChainBadge } from "@/components/audit-chain-badge";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Row, TableHead } from "@/components/ui/table";
import { summarizeAuditEvent } from "@/lib/audit/summary";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/data/actor";
import { listAuditPage, verifyAuditChain, type AuditEventDto, type AuditPage } from "@/lib/data/audit";
import { Forbidden, ValidationError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Audit log" };

const COLUMNS = [
  { label: "Event", align: "right" },
  { label: "Time" },
  { label: "Actor" },
  { label: "Action" },
  { label: "System" },
  { label: "Details" },
] as const;

// Suggestions for the action filter; a prefix ends in a dot.
const ACTION_SUGGESTIONS = [
  "auth.",
  "authz.denied",
  "evidence.",
  "checkpoint.",
  "review.",
  "review.approve",
  "review.request_changes",
  "waiver.",
  "assignment.",
  "system.",
  "user.",
  "token.",
  "program.",
  "milestone.",
];

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
type Filters = { system?: string; actor?: string; action?: string };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function auditHref(filters: Filters, cursor: { before?: string; after?: string } = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...cursor }))
    if (value?.trim()) params.set(key, value.trim());
  const query = params.toString();
  return query ? `/audit?${query}` : "/audit";
}

/** Streams in after the table: walking a long chain takes a while and should not hold the page. */
async function ChainStatus({ actor }: { actor: Actor }) {
  return <AuditChainBadge result={await verifyAuditChain(actor)} />;
}

function ActorCell({ event, filters }: { event: AuditEventDto; filters: Filters }) {
  if (!event.actor) {
    // No actor: a sign-in attempt before anyone was signed in, or the operator's CLI and the seed.
    return <span className="text-muted">{event.action.startsWith("auth.") ? "Not signed in" : "System"}</span>;
  }
  return (
    <Link
      className="underline-offset-2 hover:underline"
      href={auditHref({ ...filters, actor: event.actor.email })}
      aria-label={`${event.actor.email}: show only this person's events`}
    >
      {event.actor.email}
    </Link>
  );
}

export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await requirePageUser();
  const actor = actorOf(user);
  const filters: Filters = { system: first(params.system), actor: first(params.actor), action: first(params.action) };
  const filtered = Object.values(filters).some((value) => value?.trim());

  let page: AuditPage = { events: [], newer: null, older: null };
  let invalid: ValidationError | null = null;
  try {
    // listAuditPage authorizes first (and records a refusal in the audit trail); a refusal renders the 403 page.
    page = await listAuditPage(actor, { ...filters, before: first(params.before), after: first(params.after) });
  } catch (error) {
    if (error instanceof Forbidden) forbidden();
    if (!(error instanceof ValidationError)) throw error;
    invalid = error;
  }
  const { events, newer, older } = page;

  return (
    <div className="mx-auto max-w-7xl space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Audit log</h1>
          <p className="text-sm text-muted">
            Every change, sign-in and refused attempt, in the order it happened. Each event is chained to the one before
            it by its hash, so a change made behind Resetboard&apos;s back breaks the chain and is named here.
          </p>
        </div>
        <div role="status" aria-live="polite" className="pt-1">
          <Suspense fallback={<AuditChainBadge result={null} />}>
            <ChainStatus actor={actor} />
          </Suspense>
        </div>
      </div>

      <form
        role="search"
        aria-label="Filter events"
        action="/audit"
        className="surface border-base grid gap-3 rounded-lg border p-3 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end"
      >
        <TextField
          label="System"
          name="system"
          defaultValue={filters.system}
          placeholder="e.g. payments-api"
          maxLength={63}
          autoComplete="off"
          spellCheck={false}
          errors={invalid?.errors.system}
        />
        <TextField
          label="Actor email"
          name="actor"
          defaultValue={filters.actor}
          placeholder="name@company.com"
          maxLength={254}
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          errors={invalid?.errors.actor}
        />
        <TextField
          label="Action"
          name="action"
          defaultValue={filters.action}
          placeholder="e.g. review. or auth.sign_in"
          maxLength={100}
          list="audit-actions"
          autoComplete="off"
          spellCheck={false}
          errors={invalid?.errors.action}
        />
        <datalist id="audit-actions">
          {ACTION_SUGGESTIONS.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <div className="flex items-center gap-2">
          <Button type="submit" variant="primary">
            Filter
          </Button>
          {filtered ? (
            <Link href="/audit" className="text-sm font-medium underline">
              Clear
            </Link>
          ) : null}
        </div>
      </form>

      {invalid ? (
        <div role="alert" className="surface border-base rounded-lg border p-4 text-sm">
          <p className="font-medium" style={{ color: "var(--color-health-overdue)" }}>
            These filters cannot be read: {invalid.message}.
          </p>
          <p className="mt-1 text-muted">
            Correct them above, or{" "}
            <Link className="underline" href="/audit">
              show every event
            </Link>
            .
          </p>
        </div>
      ) : events.length === 0 ? (
        <div className="surface border-base rounded-lg border p-10 text-center">
          <h2 className="font-medium">{filtered ? "No events match these filters" : "No audit events here"}</h2>
          <p className="mt-1 text-sm text-muted">
            {filtered ? (
              <>
                An action filter ending in a dot matches every action that starts with it (auth. matches every sign-in).{" "}
                <Link className="underline" href="/audit">
                  Show every event
                </Link>
                .
              </>
            ) : (
              "Every change in Resetboard is recorded here as it happens: evidence, submissions, sign-offs, waivers, people and sign-ins."
            )}
          </p>
        </div>
      ) : (
        <div className="surface border-base relative overflow-x-auto rounded-lg border">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">
              Audit events #{events.at(-1)!.seq} to #{events[0]!.seq}, newest first{filtered ? ", filtered" : ""}
            </caption>
            <TableHead columns={COLUMNS} />
            <tbody>
              {events.map((event) => (
                <Row key={event.seq}>
                  <td className="px-3 py-2 text-right font-mono text-xs tabular-nums">#{event.seq}</td>
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                    <time dateTime={event.at}>{formatDateTime(new Date(event.at))}</time>
                  </td>
                  <td className="px-3 py-2">
                    <ActorCell event={event} filters={filters} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <code className="font-mono text-xs">{event.action}</code>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    {event.systemKey ? (
                      <Link
                        className="font-mono text-xs underline-offset-2 hover:underline"
                        href={auditHref({ ...filters, system: event.systemKey })}
                        aria-label={`${event.systemKey}: show only this system's events`}
                      >
                        {event.systemKey}
                      </Link>
                    ) : (
                      <span className="text-muted">—</span>
                    )}
                  </td>
                  <td className="min-w-64 px-3 py-2 text-muted">
                    {summarizeAuditEvent(event) || `${event.subject.type} ${event.subject.id}`}
                  </td>
                </Row>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {newer || older ? (
        <nav aria-label="Pages" className="flex items-center justify-between gap-2 text-sm">
          <div>
            {newer ? (
              <Link
                className="surface border-base rounded-md border px-3 py-1"
                href={auditHref(filters, { after: newer })}
                rel="prev"
              >
                Newer
              </Link>
            ) : null}
          </div>
          {events.length ? (
            <p className="tabular-nums text-muted">
              Events #{events.at(-1)!.seq}–#{events[0]!.seq}
            </p>
          ) : null}
          <div>
            {older ? (
              <Link
                className="surface border-base rounded-md border px-3 py-1"
                href={auditHref(filters, { before: older })}
                rel="next"
              >
                Older
              </Link>
            ) : null}
          </div>
        </nav>
      ) : null}
    </div>
  );
}
