// One line a person can read for an audit event ("Approved (1 of 2), round 1"), from its action
// and JSON data. Pure and defensive: the data of old events may lack fields newer code writes.
import type { JsonValue } from "@/lib/audit/chain";
import { STATUS_LABEL } from "@/lib/labels";

export interface SummarizableEvent {
  action: string;
  data: JsonValue;
}

type Data = { [key: string]: JsonValue };

// Old events may name a status this code no longer knows, so the lookup is by any string.
const STATUS: Record<string, string> = STATUS_LABEL;

const MAX_TEXT = 80;

function clip(text: string, max = MAX_TEXT): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function asData(value: JsonValue): Data {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
}

function text(data: Data, key: string): string | undefined {
  const value = data[key];
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function list(data: Data, key: string): string[] {
  const value = data[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** "name “A” → “B”, dueDay 60 → 64" from a settings event's `changes`. */
function changes(data: Data): string {
  const all = asData(data.changes ?? null);
  const show = (value: JsonValue | undefined) => (typeof value === "string" ? `“${clip(value, 40)}”` : String(value));
  return Object.entries(all)
    .map(([field, change]) => {
      const c = asData(change);
      return `${field} ${show(c.from)} → ${show(c.to)}`;
    })
    .join(", ");
}

const quoted = (value: string | undefined) => (value ? `“${clip(value)}”` : "");
const status = (value: string | undefined) => (value ? (STATUS[value] ?? value) : "");

/** "In progress → Submitted" when the event moved a checkpoint; nothing when it did not. */
function transition(data: Data): string | undefined {
  const from = text(data, "from");
  const to = text(data, "to");
  if (!from || !to || from === to || !(from in STATUS || to in STATUS)) return undefined;
  return `${status(from)} → ${status(to)}`;
}

function joined(...parts: (string | undefined | false)[]): string {
  return parts.filter((part): part is string => Boolean(part)).join(" · ");
}

const SUMMARIES: Record<string, (data: Data) => string> = {
  "evidence.add": (d) =>
    joined(
      `Added ${text(d, "kind")?.toLowerCase().replace(/_/g, " ") ?? "evidence"} ${quoted(text(d, "title"))}`.trim(),
      transition(d),
    ),
  "evidence.withdraw": (d) =>
    joined(`Withdrew evidence${text(d, "reason") ? `: ${clip(text(d, "reason")!)}` : ""}`, transition(d)),
  "checkpoint.submit": (d) => {
    const evidence = d.evidence;
    const count = Array.isArray(evidence) ? evidence.length : typeof evidence === "number" ? evidence : undefined;
    return joined(
      `Submitted${text(d, "round") ? ` round ${text(d, "round")}` : ""}${count !== undefined ? ` with ${count} evidence link${count === 1 ? "" : "s"}` : ""}`,
      transition(d),
    );
  },
  "review.approve": (d) =>
    joined(
      `Approved${text(d, "approvals") && text(d, "required") ? ` (${text(d, "approvals")} of ${text(d, "required")})` : ""}`,
      text(d, "seniority") && `as ${text(d, "seniority")!.toLowerCase()}`,
      transition(d),
    ),
  "review.request_changes": (d) => joined(`Requested changes ${quoted(text(d, "comment"))}`.trim(), transition(d)),
  "waiver.grant": (d) =>
    joined(`Waived until ${text(d, "expiresOn") ?? "?"} ${quoted(text(d, "reason"))}`.trim(), transition(d)),
  "waiver.revoke": (d) => joined(`Revoked the waiver ${quoted(text(d, "reason"))}`.trim(), transition(d)),
  "assignment.set": (d) =>
    `Owners: ${list(d, "owners").join(", ") || "none"}; reviewers: ${list(d, "reviewers").join(", ") || "none"}`,
  "assignment.transfer": (d) =>
    `${text(d, "kind") === "REVIEWER" ? "Reviewer" : "Owner"} role moved from ${text(d, "from") ?? "?"} to ${text(d, "to") ?? "?"}`,
  "system.create": (d) =>
    joined(`Created system ${quoted(text(d, "name"))}`.trim(), text(d, "via") && `via ${text(d, "via")}`),
  "system.update": (d) => {
    const changes = asData(d.changes ?? null);
    const fields = Object.keys(changes);
    return joined(
      `Changed ${fields.length ? fields.join(", ") : "the system"}`,
      text(d, "via") && `via ${text(d, "via")}`,
    );
  },
  "checkpoint.due_override": (d) =>
    `Due date ${text(d, "from") ?? "?"} → ${text(d, "to") ?? "?"} ${quoted(text(d, "reason"))}`.trim(),
  "checkpoint.due_override_clear": (d) =>
    `Due date back to the program's ${text(d, "to") ?? "?"} (was ${text(d, "from") ?? "?"})`,
  "program.create": (d) => `Created program ${quoted(text(d, "name"))}`.trim(),
  "program.update": (d) => `Changed the program: ${changes(d)}`,
  "milestone.update": (d) => `Changed ${changes(d)}`,
  "checkpoint.reschedule": (d) =>
    joined(
      `Moved ${text(d, "checkpointsMoved") ?? "?"} checkpoint due date${text(d, "checkpointsMoved") === "1" ? "" : "s"}`,
      list(d, "milestones").length ? `of ${list(d, "milestones").join(", ")}` : undefined,
      text(d, "overridesKept") && text(d, "overridesKept") !== "0" && `${text(d, "overridesKept")} overridden kept`,
    ),
  "milestone.create": (d) => `Created milestone ${quoted(text(d, "name") ?? text(d, "key"))}`.trim(),
  "user.create": (d) =>
    joined(
      `Created ${text(d, "email") ?? "a user"}`,
      [text(d, "role"), text(d, "seniority")].filter(Boolean).join(", ").toLowerCase(),
      text(d, "via") && `via ${text(d, "via")}`,
    ),
  "user.update": (d) => `Updated ${text(d, "email") ?? "a user"}`,
  "user.deactivate": (d) => `Deactivated ${text(d, "email") ?? "a user"}`,
  "user.reactivate": (d) => `Reactivated ${text(d, "email") ?? "a user"}`,
  "token.create": (d) =>
    joined(`Created API token ${quoted(text(d, "name"))}`.trim(), text(d, "user") && `for ${text(d, "user")}`),
  "token.revoke": (d) => `Revoked API token ${quoted(text(d, "name"))}`.trim(),
  "auth.sign_in": (d) =>
    joined(
      `Signed in${text(d, "method") ? ` with ${text(d, "method")}` : ""}`,
      text(d, "ip") && `from ${text(d, "ip")}`,
    ),
  "auth.sign_in_failed": (d) =>
    joined(
      `Sign-in failed${text(d, "reason") ? ` (${text(d, "reason")})` : ""}`,
      text(d, "ip") && `from ${text(d, "ip")}`,
    ),
  "auth.sign_in_refused": (d) =>
    joined(
      `Sign-in refused${text(d, "reason") ? ` (${text(d, "reason")?.replace(/_/g, " ")})` : ""}`,
      text(d, "ip") && `from ${text(d, "ip")}`,
    ),
  "authz.denied": (d) =>
    joined(`Refused ${text(d, "attempted") ?? "an action"}`, text(d, "role") && `as ${text(d, "role")!.toLowerCase()}`),
};

/** The generic fallback: the event's simple top-level fields, "key: value", clipped. */
function fields(data: Data): string {
  const parts = Object.keys(data)
    .sort()
    .flatMap((key) => {
      const value = text(data, key);
      return value === undefined ? [] : [`${key}: ${clip(value, 40)}`];
    });
  return clip(parts.join(", "), 120);
}

export function summarizeAuditEvent(event: SummarizableEvent): string {
  const data = asData(event.data);
  const summarize = Object.hasOwn(SUMMARIES, event.action) ? SUMMARIES[event.action] : undefined;
  const line = summarize ? summarize(data) : fields(data);
  const milestone = text(data, "milestone");
  return milestone && line ? `${milestone}: ${line}` : line || milestone || "";
}
