// Hostile input against every write endpoint of the public API, through the real route handlers
// and a real Postgres: text Postgres or JSON cannot hold, numbers and dates out of range, deep or
// huge bodies. Each is a 4xx problem+json, never a 5xx, and writes nothing. The write endpoints
// are found by walking the OpenAPI document, so a new endpoint is swept without editing this file.
// Identity is injected at the session getter, as in workflow.int.test.ts.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { identity, routeHandler, type Handler } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));

let db: AppTestDatabase;
let lead: SessionUser;
let owner: SessionUser;
let systemKey: string;
const MILESTONE = "inventory";

/** The route file that serves an OpenAPI path: `{key}` → `[key]`. */
function routeFile(apiPath: string): string {
  return path.resolve(
    "app",
    ...apiPath
      .replace(/^\//, "")
      .split("/")
      .map((part) => part.replace(/^\{(\w+)\}$/, "[$1]")),
    "route.ts",
  );
}

async function call(
  who: SessionUser,
  method: string,
  apiPath: string,
  params: Record<string, string>,
  body?: string,
  query = "",
) {
  const handler = ((await import(routeFile(apiPath))) as Record<string, Handler>)[method.toUpperCase()];
  if (!handler) throw new Error(`${method} ${apiPath} has no handler`);
  const url = `http://test${apiPath.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent((params[name] ?? "").toWellFormed()))}${query}`;
  const request = new Request(url, {
    method: method.toUpperCase(),
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body }),
  });
  const response = await identity.run(who, () => handler(request, { params: Promise.resolve(params) }));
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type") ?? "", text, body: safeJson(text) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Every row the API could write, and the audit chain's length. */
async function snapshot() {
  const { rows } = await db.client.query(
    `SELECT (SELECT count(*) FROM system) AS systems, (SELECT count(*) FROM assignment) AS assignments,
            (SELECT count(*) FROM evidence) AS evidence, (SELECT count(*) FROM evidence_withdrawal) AS withdrawals,
            (SELECT count(*) FROM review) AS reviews, (SELECT count(*) FROM waiver) AS waivers,
            (SELECT count(*) FROM waiver WHERE revoked_at IS NOT NULL) AS revoked,
            (SELECT sum(version) FROM checkpoint) AS versions, (SELECT count(*) FROM audit_event) AS events`,
  );
  return rows[0] as Record<string, string>;
}

function expectProblem(result: Awaited<ReturnType<typeof call>>, label: string) {
  expect(result.status, `${label}: ${result.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(result.status, `${label}: ${result.text.slice(0, 300)}`).toBeLessThan(500);
  expect(result.type, label).toContain("application/problem+json");
}

beforeAll(async () => {
  db = await createAppTestDatabase();
  const people = await db.client.query<SessionUser>(
    "SELECT id, email, name, role, seniority FROM app_user WHERE role = 'LEAD' AND active ORDER BY email LIMIT 1",
  );
  lead = people.rows[0]!;
  const owned = await db.client.query<{
    key: string;
    id: string;
    email: string;
    name: string;
    role: SessionUser["role"];
    seniority: SessionUser["seniority"];
  }>(
    `SELECT s.key, u.id, u.email, u.name, u.role, u.seniority FROM assignment a JOIN system s ON s.id = a.system_id JOIN app_user u ON u.id = a.user_id
     WHERE a.kind = 'OWNER' AND u.role = 'ENGINEER' AND u.active ORDER BY s.key LIMIT 1`,
  );
  const row = owned.rows[0]!;
  systemKey = row.key;
  owner = { id: row.id, email: row.email, name: row.name, role: row.role, seniority: row.seniority };
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("text Postgres or JSON cannot hold", () => {
  it("refuses a NUL in a system name with a 400 naming the field, writing nothing", async () => {
    const before = await snapshot();
    const result = await call(
      lead,
      "post",
      "/api/v1/systems",
      {},
      JSON.stringify({ key: "nul-name", name: "Ledger\u0000", team: "Payments", tier: "TIER_1" }),
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ errors: { name: [expect.stringMatching(/^A name cannot contain a NUL/)] } });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a lone surrogate in an evidence note instead of storing U+FFFD", async () => {
    const before = await snapshot();
    // JSON.stringify writes a lone surrogate as the escape \udc00, which JSON.parse turns back into one.
    const body = JSON.stringify({
      url: "https://docs.example.com/a",
      title: "Inventory",
      kind: "DOC",
      note: "half an emoji \ud83d",
    });
    const result = await call(
      owner,
      "post",
      "/api/v1/systems/{key}/checkpoints/{milestone}/evidence",
      { key: systemKey, milestone: MILESTONE },
      body,
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ errors: { note: [expect.stringContaining("lone UTF-16 surrogate")] } });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses NUL in read parameters with a 400, not a 500", async () => {
    for (const query of ["?q=%00", "?team=%00", "?team=a,%00", "?page=1e309", "?pageSize=1.5", "?page=-1"]) {
      expectProblem(await call(lead, "get", "/api/v1/systems", {}, undefined, query), `GET /api/v1/systems${query}`);
    }
    for (const query of ["?q=%00", "?team=%00"]) {
      const handler = await routeHandler("app/api/export/systems/route.ts", "GET");
      const response = await identity.run(lead, () =>
        handler(new Request(`http://test/api/export/systems${query}`), { params: Promise.resolve({}) }),
      );
      expect(response.status, `export ${query}`).toBe(400);
    }
    expectProblem(await call(lead, "get", "/api/v1/audit", {}, undefined, "?actor=%00"), "audit actor NUL");
    expectProblem(await call(lead, "get", "/api/v1/audit", {}, undefined, "?limit=1e309"), "audit limit 1e309");
  });

  it("turns a Postgres encoding error that slips past validation into a 400", async () => {
    const { db: prisma } = await import("@/lib/db");
    const { problemFromError } = await import("@/lib/api/problem");
    const { actionError } = await import("@/lib/action-result");
    const error = await prisma().$queryRaw`SELECT ${"a\u0000b"}::text AS value`.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
    expect(problemFromError(error).status).toBe(400);
    expect(actionError(error)).toMatchObject({ ok: false, message: expect.stringContaining("cannot be stored") });
  });
});

describe("dates and numbers in range", () => {
  it("refuses a due-date override of 0001-01-01 and a version past 2^31", async () => {
    const { overrideDueDate } = await import("@/lib/data/checkpoints/due-date");
    const actor = { kind: "user" as const, id: lead.id, email: lead.email, role: lead.role, seniority: lead.seniority };
    const { rows } = await db.client.query<{ version: number }>(
      "SELECT c.version FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id WHERE s.key = $1 AND m.key = $2",
      [systemKey, MILESTONE],
    );
    const version = rows[0]!.version;
    const before = await snapshot();
    await expect(
      overrideDueDate(actor, systemKey, MILESTONE, { dueOn: "0001-01-01", reason: "typo", version }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      overrideDueDate(actor, systemKey, MILESTONE, { dueOn: "2035-01-01", reason: "too far", version }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      overrideDueDate(actor, systemKey, MILESTONE, { dueOn: "2027-01-15", reason: "no version" }),
    ).rejects.toMatchObject({ status: 428 });
    const submit = await call(
      owner,
      "post",
      "/api/v1/systems/{key}/checkpoints/{milestone}/submit",
      { key: systemKey, milestone: MILESTONE },
      JSON.stringify({ version: 2 ** 31 }),
    );
    expect(submit.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe("Idempotency-Key", () => {
  it("refuses a key reused with another body with a 422, writing nothing, and still replays the same body", async () => {
    const file = routeFile("/api/v1/systems/{key}/checkpoints/{milestone}/evidence");
    const post = async (body: unknown) => {
      const mod = (await import(file)) as Record<string, Handler>;
      const request = new Request(`http://test/api/v1/systems/${systemKey}/checkpoints/${MILESTONE}/evidence`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": "evidence-once" },
        body: JSON.stringify(body),
      });
      const response = await identity.run(owner, () =>
        mod.POST!(request, { params: Promise.resolve({ key: systemKey, milestone: MILESTONE }) }),
      );
      return {
        status: response.status,
        type: response.headers.get("content-type") ?? "",
        body: (await response.json()) as { detail?: string },
      };
    };
    const evidence = { url: "https://docs.example.com/idem", title: "Catalogue", kind: "DOC" };
    const first = await post(evidence);
    expect(first.status).toBe(201);
    const afterFirst = await snapshot();
    const other = await post({ ...evidence, url: "https://docs.example.com/something-else" });
    expect(other.status).toBe(422);
    expect(other.type).toContain("application/problem+json");
    expect(other.body.detail).toMatch(/already used for another request/);
    expect((await post(evidence)).status).toBe(201);
    expect(await snapshot()).toEqual(afterFirst);
  });
});

describe("authorization before validation", () => {
  it("a non-lead with a bad body on waiver revoke gets an audited 403, not a 400", async () => {
    const before = await snapshot();
    const result = await call(
      owner,
      "post",
      "/api/v1/systems/{key}/checkpoints/{milestone}/waiver/revoke",
      { key: systemKey, milestone: MILESTONE },
      JSON.stringify({ reason: "\u0000", version: -1 }),
    );
    expect(result.status).toBe(403);
    const after = await snapshot();
    expect({ ...after, events: undefined }).toEqual({ ...before, events: undefined });
    const { rows } = await db.client.query<{ action: string; data: { attempted: string } }>(
      "SELECT action, data FROM audit_event ORDER BY seq DESC LIMIT 1",
    );
    expect(rows[0]).toMatchObject({ action: "authz.denied", data: { attempted: "waiver.revoke" } });
    expect(Number(after.events) - Number(before.events)).toBe(1);
  });
});

describe("concurrency gaps", () => {
  it("PUT assignments needs the version it saw: 428 without, 409 when stale, If-Match works", async () => {
    const put = (body: unknown, headers: Record<string, string> = {}) => {
      const file = routeFile("/api/v1/systems/{key}/assignments");
      return import(file).then(async (mod: Record<string, Handler>) => {
        const request = new Request(`http://test/api/v1/systems/${systemKey}/assignments`, {
          method: "PUT",
          headers: { "Content-Type": "application/json", ...headers },
          body: JSON.stringify(body),
        });
        const response = await identity.run(lead, () =>
          mod.PUT!(request, { params: Promise.resolve({ key: systemKey }) }),
        );
        return { status: response.status, body: (await response.json()) as { assignmentsVersion?: number } };
      });
    };
    const detail = await call(lead, "get", "/api/v1/systems/{key}", { key: systemKey });
    const current = detail.body as {
      assignmentsVersion: number;
      owners: { email: string }[];
      reviewers: { email: string }[];
    };
    const lists = { owners: current.owners.map((u) => u.email), reviewers: current.reviewers.map((u) => u.email) };
    const before = await snapshot();
    expect((await put(lists)).status).toBe(428);
    expect((await put({ ...lists, version: current.assignmentsVersion + 1 })).status).toBe(409);
    expect((await put(lists, { "If-Match": `"${current.assignmentsVersion + 1}"` })).status).toBe(409);
    expect(await snapshot()).toEqual(before);
    const saved = await put({ owners: lists.owners, reviewers: [] }, { "If-Match": `"${current.assignmentsVersion}"` });
    expect(saved.status).toBe(200);
    expect(saved.body.assignmentsVersion).toBe(current.assignmentsVersion + 1);
    // The editor that loaded the old version cannot put the reviewers back over that change.
    expect((await put({ ...lists, version: current.assignmentsVersion })).status).toBe(409);
  });
});

// ---------------------------------------------------------------------------------------------
// The sweep: every write operation in the OpenAPI document, with hostile values in every field.

const NUL = "nul\u0000here";
const LONE_SURROGATE = "half \ud83d emoji";
const CRLF = "line one\r\nline two";
const MEGABYTE = "x".repeat(1024 * 1024);
const deepJson = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

/** A plausible body for each known operation; a new one is swept from `{}` and its schema's fields. */
const SAMPLES: Record<string, Record<string, unknown>> = {
  "post /api/v1/systems": { key: "sweep-new", name: "Sweep", team: "Payments", tier: "TIER_1", description: "" },
  "put /api/v1/systems/{key}/assignments": { owners: [], reviewers: [], version: 1 },
  "post /api/v1/systems/{key}/checkpoints/{milestone}/evidence": {
    url: "https://docs.example.com/a",
    title: "Inventory",
    kind: "DOC",
    note: "",
  },
  "post /api/v1/systems/{key}/checkpoints/{milestone}/evidence/{id}/withdraw": { reason: "" },
  "post /api/v1/systems/{key}/checkpoints/{milestone}/submit": { version: 1 },
  "post /api/v1/systems/{key}/checkpoints/{milestone}/reviews": {
    decision: "REQUEST_CHANGES",
    comment: "fix it",
    version: 1,
  },
  "post /api/v1/systems/{key}/checkpoints/{milestone}/waiver": { reason: "vendor", expiresOn: "2026-12-20" },
  "post /api/v1/systems/{key}/checkpoints/{milestone}/waiver/revoke": { reason: "done", version: 1 },
  "post /api/v1/systems/{key}/checkpoints/{milestone}/comments": { body: "looks fine" },
  "post /api/v1/systems/{key}/archive": { reason: "retired" },
  "post /api/v1/systems/{key}/unarchive": { reason: "back in scope" },
  "post /api/v1/changes": {
    system: "sweep-none",
    title: "Sweep",
    url: "https://git.example.com/pr/1",
    aiAssisted: false,
    rollbackPlanUrl: "https://wiki.example.com/rollback",
  },
  "patch /api/v1/changes/{id}": { version: 1, title: "Sweep" },
  "post /api/v1/changes/{id}/reviews": { decision: "REQUEST_CHANGES", comment: "fix it" },
  "post /api/v1/changes/{id}/shipped": { incidentUrl: "https://incidents.example.com/1" },
  "post /api/v1/changes/{id}/rolled-back": { incidentUrl: "https://incidents.example.com/1" },
  "post /api/v1/notifications/read": { ids: [] },
  // A form body by RFC 8058 and a token in the query: every JSON body here lacks both.
  "post /api/v1/notifications/unsubscribe": {},
};

interface SweptOperation {
  method: string;
  path: string;
  fields: string[];
  sample: Record<string, unknown>;
}

async function writeOperations(): Promise<SweptOperation[]> {
  const { openApiDocument } = await import("@/lib/api/openapi");
  const document = openApiDocument() as {
    paths: Record<
      string,
      Record<
        string,
        { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }
      >
    >;
  };
  const operations: SweptOperation[] = [];
  for (const [apiPath, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!["post", "put", "patch", "delete"].includes(method)) continue;
      const properties = op.requestBody?.content["application/json"]?.schema.properties ?? {};
      operations.push({
        method,
        path: apiPath,
        fields: Object.keys(properties),
        sample: SAMPLES[`${method} ${apiPath}`] ?? {},
      });
    }
  }
  return operations;
}

/** Bodies that no endpoint may accept or choke on, as raw request texts. */
function hostileBodies(op: SweptOperation): { label: string; body: string }[] {
  const bodies: { label: string; body: string }[] = [];
  const fields = [...new Set([...op.fields, ...Object.keys(op.sample)])];
  for (const field of fields) {
    for (const [label, value] of [
      ["NUL", NUL],
      ["lone surrogate", LONE_SURROGATE],
      ["1 MB string", MEGABYTE],
      ["negative", -1],
      ["float", 1.5],
      ["past 2^31", 2 ** 31],
      ["array of NUL", [NUL]],
      ["object", { $gt: "" }],
    ] as const) {
      bodies.push({ label: `${field}: ${label}`, body: JSON.stringify({ ...op.sample, [field]: value }) });
    }
    // CR/LF is refused in single-line fields; in multi-line ones it is text like any other, so it
    // is sent with NUL beside it to keep the request from being a legitimate write.
    bodies.push({ label: `${field}: CR/LF`, body: JSON.stringify({ ...op.sample, [field]: `${CRLF}${NUL}` }) });
    // 1e309 cannot be written by JSON.stringify: JSON.parse reads it as Infinity.
    bodies.push({
      label: `${field}: 1e309`,
      body: JSON.stringify({ ...op.sample, [field]: "__INF__" }).replace('"__INF__"', "1e309"),
    });
  }
  const versions = fields.includes("version") ? ["-1", "1.5", "1e309", "0", "2147483648", '"1"', "null"] : [];
  for (const version of versions) {
    bodies.push({
      label: `version ${version}`,
      body: JSON.stringify({ ...op.sample, version: "__V__" }).replace('"__V__"', version),
    });
  }
  bodies.push({ label: "deep array (1,000 levels)", body: deepJson(1000) });
  bodies.push({ label: "deep object (1,000 levels)", body: deepObject(1000) });
  bodies.push({ label: "1 MB body", body: JSON.stringify({ ...op.sample, padding: MEGABYTE }) });
  bodies.push({ label: "top-level NUL string", body: JSON.stringify(NUL) });
  bodies.push({ label: "not JSON", body: "{" });
  return bodies;
}

describe("the OpenAPI sweep", () => {
  it("walks the document and finds the write endpoints", async () => {
    const operations = await writeOperations();
    expect(operations.length).toBeGreaterThanOrEqual(8);
    for (const op of operations)
      expect(SAMPLES, `add a sample body for ${op.method} ${op.path}`).toHaveProperty([`${op.method} ${op.path}`]);
  });

  it("answers every hostile body on every write endpoint with a 4xx problem, writing nothing", async () => {
    const operations = await writeOperations();
    const { rows } = await db.client.query<{ id: string }>(
      "SELECT e.id FROM evidence e JOIN checkpoint c ON c.id = e.checkpoint_id JOIN system s ON s.id = c.system_id WHERE s.key = $1 LIMIT 1",
      [systemKey],
    );
    const params = { key: systemKey, milestone: MILESTONE, id: rows[0]?.id ?? "00000000-0000-0000-0000-000000000000" };
    const before = await snapshot();
    let sent = 0;
    for (const op of operations) {
      for (const { label, body } of hostileBodies(op)) {
        const result = await call(lead, op.method, op.path, params, body);
        expectProblem(result, `${op.method.toUpperCase()} ${op.path} with ${label}`);
        sent += 1;
      }
      // Hostile path parameters are refused (404 or 400) rather than reaching a query.
      for (const bad of op.path.includes("{") ? [NUL, LONE_SURROGATE, CRLF, MEGABYTE.slice(0, 10_000)] : []) {
        const hostileParams = Object.fromEntries(Object.keys(params).map((name) => [name, bad]));
        expectProblem(
          await call(lead, op.method, op.path, hostileParams, JSON.stringify(op.sample)),
          `${op.method.toUpperCase()} ${op.path} with hostile path parameters`,
        );
      }
    }
    expect(sent).toBeGreaterThan(100);
    // A lead is no assigned reviewer here, so sign-offs are refused before the body is read: the
    // audit trail gains those refusals and nothing else.
    const after = await snapshot();
    expect({ ...after, events: undefined }).toEqual({ ...before, events: undefined });
    const { rows: added } = await db.client.query<{ action: string }>(
      "SELECT action FROM audit_event ORDER BY seq DESC LIMIT $1",
      [Number(after.events) - Number(before.events)],
    );
    expect(added.every((e) => e.action === "authz.denied")).toBe(true);
  }, 300_000);

  it("leaves the audit chain verifiable", async () => {
    const result = await call(lead, "get", "/api/v1/audit/verify", {});
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true });
  });
});
