// The OpenAPI 3.1 description of the public API, built from the very zod schemas that validate
// the requests, so the document cannot drift from the code. A test checks that every route in
// app/api/v1 is described here.
import { z } from "zod";
import { REFUSAL_CODES } from "@/lib/domain/refusal";
import { listAuditEventsSchema } from "@/lib/data/audit.schema";
import { peopleSearchSchema } from "@/lib/data/people-search.schema";
import { listSystemsSchema } from "@/lib/data/systems.schema";
import {
  addEvidenceSchema,
  reviewSchema,
  revokeWaiverSchema,
  submitSchema,
  waiverSchema,
  withdrawEvidenceSchema,
} from "@/lib/data/checkpoints.schema";
import { assignmentsSchema, systemInputSchema } from "@/lib/data/system-admin.schema";
import {
  changeOutcomeSchema,
  changeReviewSchema,
  listChangesSchema,
  registerChangeSchema,
  updateChangeSchema,
} from "@/lib/data/changes.schema";
import { archiveSchema } from "@/lib/data/system-archive.schema";
import { commentSchema } from "@/lib/data/comments.schema";
import { listNotificationsSchema, markReadSchema } from "@/lib/data/notifications.schema";
import { oneClickBodySchema, unsubscribeQuerySchema } from "@/lib/data/unsubscribe.schema";

type Schema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Schema;
  return rest;
}

interface Operation {
  method: "get" | "post" | "put" | "patch";
  path: string;
  summary: string;
  who: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  success: number;
  /** The success body's media type, when it is not JSON. */
  successType?: string;
  /** A form body (application/x-www-form-urlencoded) instead of JSON. */
  formBody?: z.ZodObject;
  public?: boolean;
  /** What an If-Match header stands for, when the operation takes one. */
  ifMatch?: string;
}

const checkpoint = "/api/v1/systems/{key}/checkpoints/{milestone}";

export const OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Liveness of the app and its database (503 when the database is unreachable)",
    who: "anyone",
    success: 200,
    public: true,
  },
  { method: "get", path: "/api/v1/openapi.json", summary: "This document", who: "anyone", success: 200, public: true },
  {
    method: "get",
    path: "/api/v1/me",
    summary: "The calling user {email, name, role, seniority}: which account a session or token acts as",
    who: "signed in",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/my-work",
    summary:
      "The caller's work in groups {now, waiting, later, count}: `now` holds only what the caller can act on now (count is its length, the navigation's badge); each item has systemKey, milestone, status, dueOn, canAct, action, reason when it cannot, waitingOn (people), changesRequested (the reviewer's comment); `changes`: the production changes waiting on the caller's approval (canAct true, with id, title, systemKey, author and the gate's reasons), also counted in `count`. For a lead also `leadQueue` (null for others): noEligibleReviewer {total, systems, items with the reason}, longestReviews {total, items with waitingDays and canSign (people)}, overdueByTeam [{team, checkpoints, systems, waitingOn (people, each with `as`: owner or reviewer)}], expiringWaivers (within 7 days, with expiresOn and reason)",
    who: "signed in",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/people",
    summary:
      "People assigned to systems (never service accounts) whose name or e-mail contains `q`, any case; those starting with it first, then by name; at most `limit` (default 20, at most 50). Answers {items: [{email, name}]}: what the registry's person pickers suggest",
    who: "signed in",
    query: peopleSearchSchema,
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/program",
    summary:
      "The active program with its milestones, its time zone (IANA name; the wall clock of the weekly summary and the daily digests) and today's program day",
    who: "signed in",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/progress",
    summary:
      "Where the program stands: totals by status (waived apart from approved), by milestone, team and tier; the teams × milestones heatmap; the burn-up series (planned vs actual per day); the forecast finish date; systems at risk; reviewer load; the change since the last finished week",
    who: "signed in",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/systems",
    summary:
      "Systems with owners, reviewers, progress, health and next due checkpoint; filters team, tier, health (repeated or comma lists), owner, reviewer (emails), milestone with mstatus, status (systems with a checkpoint of any milestone in these statuses), q; sort and dir; page and pageSize (at most 200). Answers {items, page, pageSize, total}",
    who: "signed in",
    query: listSystemsSchema,
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/systems",
    summary: "Create a system with a checkpoint for every milestone of the active program (409 when the key exists)",
    who: "lead",
    body: systemInputSchema,
    success: 201,
  },
  {
    method: "put",
    path: "/api/v1/systems/{key}/assignments",
    summary:
      "Replace the system's owners and reviewers (emails of active engineers or leads; nobody both), with the assignmentsVersion you saw (409 when stale, 428 when missing). Answers the system with `warnings`: each open milestone the new reviewers can never sign off (rule 14)",
    who: "lead",
    body: assignmentsSchema,
    success: 200,
    ifMatch: 'The system\'s assignmentsVersion you saw, such as "3" (instead of `version` in the body)',
  },
  {
    method: "post",
    path: "/api/v1/systems/{key}/archive",
    summary:
      "Archive a system with a reason: it leaves every figure, queue and default listing and keeps its history (422 when already archived)",
    who: "lead",
    body: archiveSchema,
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/systems/{key}/unarchive",
    summary:
      "Bring an archived system back into the figures, queues and listings, with a reason (422 when not archived)",
    who: "lead",
    body: archiveSchema,
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/systems/{key}",
    summary:
      "A system with its assignments and every checkpoint (status, due date, version, evidence, reviews, waiver)",
    who: "signed in",
    success: 200,
  },
  {
    method: "post",
    path: `${checkpoint}/evidence`,
    summary: "Add an evidence link (rule 1; reopens a submitted or approved checkpoint, rule 7)",
    who: "owner, lead",
    body: addEvidenceSchema,
    success: 201,
  },
  {
    method: "post",
    path: `${checkpoint}/evidence/{id}/withdraw`,
    summary: "Withdraw evidence; it stays in history as withdrawn (rule 7)",
    who: "owner, lead",
    body: withdrawEvidenceSchema,
    success: 200,
  },
  {
    method: "post",
    path: `${checkpoint}/submit`,
    summary: "Submit for review with the version you saw (rule 2)",
    who: "owner, lead",
    body: submitSchema,
    success: 200,
  },
  {
    method: "post",
    path: `${checkpoint}/reviews`,
    summary: "Approve or request changes (rules 3–6)",
    who: "assigned reviewer",
    body: reviewSchema,
    success: 201,
  },
  {
    method: "post",
    path: `${checkpoint}/waiver`,
    summary: "Waive a checkpoint until a date within the program (rule 8)",
    who: "lead",
    body: waiverSchema,
    success: 201,
  },
  {
    method: "post",
    path: `${checkpoint}/waiver/revoke`,
    summary: "Revoke the waiver in force with a reason; the checkpoint returns to the status it had before (rule 8)",
    who: "lead",
    body: revokeWaiverSchema,
    success: 200,
  },
  {
    method: "get",
    path: `${checkpoint}/comments`,
    summary:
      "The checkpoint's discussion, oldest first: {items: [{id, milestone, body, author {id, name}, createdAt}]}. Comments are immutable",
    who: "signed in",
    success: 200,
  },
  {
    method: "post",
    path: `${checkpoint}/comments`,
    summary:
      "Post a comment (at most 4000 characters; never edited or deleted). `@Full Name` of someone with access to the system (its owners, reviewers, program leads) notifies that person; the answer lists them in `mentioned`",
    who: "the system's owners and reviewers, lead",
    body: commentSchema,
    success: 201,
  },
  {
    method: "post",
    path: "/api/v1/changes",
    summary:
      "Register a production change of a system (rule 16); answers the change with its `decision` {allowed, reasons, approvals, missing}. A service account names the `author`",
    who: "the system's owners and assigned engineers, lead, service account scoped to the system",
    body: registerChangeSchema,
    success: 201,
  },
  {
    method: "get",
    path: "/api/v1/changes",
    summary:
      "Changes, newest first, filtered by system and status (blocked, allowed, shipped, rolled_back), each with its decision",
    who: "signed in",
    query: listChangesSchema,
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/changes/{id}",
    summary: "A change with its reviews (stale ones marked), outcomes and decision",
    who: "signed in",
    success: 200,
  },
  {
    method: "patch",
    path: "/api/v1/changes/{id}",
    summary:
      "Edit a change's title or links with the version you saw; a link edit makes earlier approvals stale (rule 16.4)",
    who: "author, co-author, lead",
    body: updateChangeSchema,
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/changes/{id}/decision",
    summary:
      "May this change ship? {allowed, reasons:[sentence], approvals, missing}. For pipelines: `npm run cli -- gate check ID` wraps it",
    who: "signed in, service account scoped to the system",
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/changes/{id}/reviews",
    summary:
      "Approve or request changes on the change's current links; 422 with the reason when a rule refuses (author or co-author, seniority, already reviewed)",
    who: "assigned reviewer",
    body: changeReviewSchema,
    success: 201,
  },
  {
    method: "post",
    path: "/api/v1/changes/{id}/shipped",
    summary: "Record that the change shipped, with the gate's decision at that moment (optional incidentUrl)",
    who: "author, co-author, lead, service account scoped to the system",
    body: changeOutcomeSchema,
    success: 201,
  },
  {
    method: "post",
    path: "/api/v1/changes/{id}/rolled-back",
    summary: "Record that a shipped change was rolled back (optional incidentUrl)",
    who: "author, co-author, lead, service account scoped to the system",
    body: changeOutcomeSchema,
    success: 201,
  },
  {
    method: "get",
    path: "/api/v1/audit",
    summary: "Audit events after a sequence number, with filters",
    who: "lead, executive",
    query: listAuditEventsSchema,
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/notifications",
    summary:
      "The caller's notifications, newest first: {items:[{id, event, systemKey, milestone, title, body, url, createdAt, readAt}], unread}; `unread=true` for the unread ones only",
    who: "signed in",
    query: listNotificationsSchema,
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/notifications/read",
    summary: "Mark the caller's notifications read: {ids:[...]} or {all:true}; answers {updated, unread}",
    who: "signed in",
    body: markReadSchema,
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/notifications/unsubscribe",
    summary:
      "The confirmation page of a mail's one-click unsubscribe link (HTML): what the signed token would turn off, with a button that POSTs. Changes nothing by itself, because mail scanners follow links; a bad or forged token is a 400 problem",
    who: "anyone with the token from the e-mail (no session)",
    query: unsubscribeQuerySchema,
    success: 200,
    successType: "text/html",
    public: true,
  },
  {
    method: "post",
    path: "/api/v1/notifications/unsubscribe",
    summary:
      "One-click unsubscribe (RFC 8058): with the body `List-Unsubscribe=One-Click`, turns off e-mail for the token's events for the token's person (in-app stays), audited as that person's preference change; answers {name, events, changed}. A bad or forged token is a 400 problem and writes nothing",
    who: "anyone with the token from the e-mail (no session)",
    query: unsubscribeQuerySchema,
    formBody: oneClickBodySchema,
    success: 200,
    public: true,
  },
  {
    method: "get",
    path: "/api/v1/audit/verify",
    summary: "Verify the audit hash chain: {ok:true,events} or {ok:false,brokenAt}",
    who: "lead, executive",
    success: 200,
  },
];

const problem = {
  description: "RFC 9457 problem details",
  content: {
    "application/problem+json": {
      schema: {
        type: "object",
        required: ["type", "title", "status", "detail"],
        properties: {
          type: { type: "string" },
          title: { type: "string" },
          status: { type: "integer" },
          detail: { type: "string" },
          code: {
            type: "string",
            enum: [...REFUSAL_CODES],
            description:
              "Stable refusal code to switch on (the text in `detail` may be reworded); `type` names the kind by status.",
          },
          errors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
          outcome: {
            type: "string",
            enum: ["unknown", "saved"],
            description:
              "Only on a 503 of a write, and on the 409 of a repeated Idempotency-Key whose first request was saved but not answered",
          },
        },
      },
    },
  },
};

const ERRORS: Record<string, string> = {
  "400": "Malformed or invalid request; `errors` lists the problems per field",
  "401": "Not signed in and no valid API token",
  "403": "Not allowed for your role or assignment, or a write with the session cookie from another site",
  "404": "No such system, milestone or evidence",
  "409": "The version you sent is no longer current, the key already exists, or the Idempotency-Key is in use",
  "415": "A write with the session cookie whose body is not application/json",
  "422":
    "Refused by a program rule (separation of duties, seniority, state), or an Idempotency-Key already used for another request",
  "428": "The write needs the version you saw (`version` in the body, or If-Match where offered)",
};

function operation(op: Operation) {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const query = op.query
    ? Object.entries((jsonSchema(op.query).properties ?? {}) as Record<string, Schema>).map(([name, schema]) => ({
        name,
        in: "query",
        required: false,
        schema,
      }))
    : [];
  const idempotency =
    op.method === "post"
      ? [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: { type: "string", maxLength: 200 },
            description:
              "Repeat a POST safely: the first answer is returned and nothing new is written (rule 11). The key is bound to the method, path and body; reusing it for another request is a 422",
          },
        ]
      : [];
  const ifMatch = op.ifMatch
    ? [{ name: "If-Match", in: "header", required: false, schema: { type: "string" }, description: op.ifMatch }]
    : [];
  return {
    summary: op.summary,
    description: `Who: ${op.who}.`,
    ...(op.public ? { security: [] } : {}),
    parameters: [...params, ...query, ...idempotency, ...ifMatch],
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } } }
      : {}),
    ...(op.formBody
      ? {
          requestBody: {
            required: true,
            content: { "application/x-www-form-urlencoded": { schema: jsonSchema(op.formBody) } },
          },
        }
      : {}),
    responses: {
      [String(op.success)]: {
        description: "Success",
        content: { [op.successType ?? "application/json"]: { schema: { type: op.successType ? "string" : "object" } } },
      },
      ...Object.fromEntries(
        Object.entries(ERRORS)
          .filter(([status]) =>
            // A public operation with input can still refuse that input (400), and nothing else of the list.
            op.public
              ? Boolean(op.query) && status === "400"
              : op.body || op.query || !["400", "409", "422"].includes(status),
          )
          .map(([status, description]) => [status, { ...problem, description }]),
      ),
    },
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: "3.1.0",
    info: {
      title: "Resetboard API",
      version: "1",
      description:
        "The public API of Resetboard's code safety reset. Authenticate with the browser session or `Authorization: Bearer <token>` (tokens are created under Settings or with `npm run cli -- token create`).",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
