// The audit trail against a real Postgres: reading it with filters and pages, its chain staying
// linear under concurrent writers, and tampering being refused or, past the triggers, detected.
import { spawnSync } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/data/actor";
import { Forbidden, ValidationError } from "@/lib/errors";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let database: AppTestDatabase;
let client: pg.Client;
let audit: typeof import("@/lib/data/audit");
let lead: Actor;
let executive: Actor;
let engineer: Actor;

async function actorFor(email: string): Promise<Actor> {
  const { rows } = await client.query<{ id: string; role: "LEAD"; seniority: "MID" }>(
    "SELECT id, role, seniority FROM app_user WHERE email = $1",
    [email],
  );
  const user = rows[0]!;
  return { kind: "user", id: user.id, email, role: user.role, seniority: user.seniority };
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  return Number((await client.query<{ n: string }>(sql, params)).rows[0]!.n);
}

async function seqs(sql: string, params: unknown[] = []): Promise<string[]> {
  return (await client.query<{ seq: string }>(sql, params)).rows.map((r) => r.seq);
}

/** Every event a filter matches, following `next` from the start, `limit` at a time. */
async function everything(input: Parameters<typeof audit.listAuditEvents>[1], limit: number) {
  const events: Awaited<ReturnType<typeof audit.listAuditEvents>>["events"] = [];
  let after: string | undefined;
  for (;;) {
    const page = await audit.listAuditEvents(lead, { ...input, after, limit });
    expect(page.events.length).toBeLessThanOrEqual(limit);
    events.push(...page.events);
    if (page.next === null) return events;
    expect(page.next).toBe(page.events.at(-1)!.seq);
    after = page.next;
  }
}

function cli(...args: string[]) {
  const result = spawnSync("npx", ["--no-install", "tsx", "--conditions=react-server", "scripts/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: database.url },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

beforeAll(async () => {
  database = await createAppTestDatabase();
  client = database.client;
  audit = await import("@/lib/data/audit");
  lead = await actorFor("lead@resetboard.dev");
  executive = await actorFor("exec@resetboard.dev");
  engineer = await actorFor("owner@resetboard.dev");
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("reading the audit trail", () => {
  it("verifies the seeded chain, for leads and executives", async () => {
    const total = await count("SELECT count(*) AS n FROM audit_event");
    expect(total).toBeGreaterThan(500);
    expect(await audit.verifyAuditChain(lead)).toEqual({ ok: true, events: total });
    expect(await audit.verifyAuditChain(executive)).toEqual({ ok: true, events: total });
  });

  it("returns events in sequence order with the fields of the contract", async () => {
    const { events, next } = await audit.listAuditEvents(executive, { limit: 3 });
    expect(events.map((e) => e.seq)).toEqual(["1", "2", "3"]);
    expect(next).toBe("3");
    const [row] = (await client.query("SELECT * FROM audit_event WHERE seq = 2")).rows as {
      at: Date;
      actor_email: string | null;
      action: string;
      subject_type: string;
      subject_id: string;
      system_key: string | null;
      data: unknown;
      hash: string;
      prev_hash: string;
    }[];
    expect(events[1]).toEqual({
      seq: "2",
      at: row!.at.toISOString(),
      actor: row!.actor_email === null ? null : { email: row!.actor_email },
      action: row!.action,
      subject: { type: row!.subject_type, id: row!.subject_id },
      systemKey: row!.system_key,
      data: row!.data,
      hash: row!.hash,
      prevHash: row!.prev_hash,
    });
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    // The default page is 100, and the last page says there is no more.
    expect((await audit.listAuditEvents(lead)).events).toHaveLength(100);
    const last = await count("SELECT max(seq) AS n FROM audit_event");
    expect(await audit.listAuditEvents(lead, { after: String(last - 2) })).toMatchObject({
      next: null,
      events: [{ seq: String(last - 1) }, { seq: String(last) }],
    });
  });

  it("filters by system and pages through it with after and limit, without gaps or repeats", async () => {
    const { rows } = await client.query<{ system_key: string }>(
      "SELECT system_key FROM audit_event WHERE system_key IS NOT NULL GROUP BY system_key ORDER BY count(*) DESC LIMIT 1",
    );
    const system = rows[0]!.system_key;
    const expected = await seqs("SELECT seq FROM audit_event WHERE system_key = $1 ORDER BY seq", [system]);
    expect(expected.length).toBeGreaterThan(20);
    const events = await everything({ system }, 7);
    expect(events.map((e) => e.seq)).toEqual(expected);
    expect(new Set(events.map((e) => e.systemKey))).toEqual(new Set([system]));
    expect(await audit.listAuditEvents(lead, { system: "no-such-system" })).toEqual({ events: [], next: null });
  });

  it("filters by the actor's email, including events recorded under an earlier email", async () => {
    const owner = await seqs("SELECT seq FROM audit_event WHERE actor_email = 'owner@resetboard.dev' ORDER BY seq");
    expect(owner.length).toBeGreaterThan(0);
    const events = await everything({ actor: "Owner@Resetboard.dev" }, 500);
    expect(events.map((e) => e.seq)).toEqual(owner);
    expect(new Set(events.map((e) => e.actor?.email))).toEqual(new Set(["owner@resetboard.dev"]));

    // After a change of email the person's earlier events still come up under the new one, and
    // the old address still finds what was recorded under it.
    const userId = (engineer as { id: string }).id;
    await client.query("UPDATE app_user SET email = 'owner.renamed@resetboard.dev' WHERE id = $1", [userId]);
    try {
      expect((await everything({ actor: "owner.renamed@resetboard.dev" }, 500)).map((e) => e.seq)).toEqual(owner);
      expect((await everything({ actor: "owner@resetboard.dev" }, 500)).map((e) => e.seq)).toEqual(owner);
    } finally {
      await client.query("UPDATE app_user SET email = 'owner@resetboard.dev' WHERE id = $1", [userId]);
    }
  });

  it("filters by an exact action or by an action prefix", async () => {
    const reviews = await seqs("SELECT seq FROM audit_event WHERE action LIKE 'review.%' ORDER BY seq");
    const approvals = await seqs("SELECT seq FROM audit_event WHERE action = 'review.approve' ORDER BY seq");
    expect(approvals.length).toBeGreaterThan(0);
    expect(reviews.length).toBeGreaterThan(approvals.length);
    expect((await everything({ action: "review." }, 500)).map((e) => e.seq)).toEqual(reviews);
    expect((await everything({ action: "review.*" }, 500)).map((e) => e.seq)).toEqual(reviews);
    expect((await everything({ action: "review.approve" }, 500)).map((e) => e.seq)).toEqual(approvals);
    // "auth." is a prefix of sign-in events only, never of authz.denied.
    const { appendAuditEvent } = await import("@/lib/audit/append");
    const { db } = await import("@/lib/db");
    await db().$transaction(async (tx) => {
      await appendAuditEvent(tx, {
        actorId: null,
        actorEmail: null,
        action: "auth.sign_in_failed",
        subjectType: "user",
        subjectId: "x@y.dev",
        data: { ip: "1.2.3.4" },
      });
      // An underscore in a prefix is a literal character, not LIKE's single-character wildcard.
      await appendAuditEvent(tx, {
        actorId: null,
        actorEmail: null,
        action: "auth.signxin",
        subjectType: "user",
        subjectId: "x@y.dev",
      });
    });
    await expect(audit.listAuditEvents(engineer)).rejects.toThrow(Forbidden); // adds an authz.denied
    const auth = await everything({ action: "auth." }, 500);
    expect(auth.length).toBeGreaterThan(0);
    expect(auth.every((e) => e.action.startsWith("auth."))).toBe(true);
    expect((await everything({ action: "auth.sign_*" }, 500)).map((e) => e.action)).not.toContain("auth.signxin");
    expect((await everything({ action: "auth.sign_*" }, 500)).map((e) => e.action)).toContain("auth.sign_in_failed");
  });

  it("combines filters", async () => {
    const expected = await seqs(
      "SELECT seq FROM audit_event WHERE actor_email = 'reviewer@resetboard.dev' AND action LIKE 'review.%' ORDER BY seq",
    );
    expect(expected.length).toBeGreaterThan(0);
    expect((await everything({ actor: "reviewer@resetboard.dev", action: "review." }, 500)).map((e) => e.seq)).toEqual(
      expected,
    );
  });

  it("refuses malformed parameters with a message per field", async () => {
    const refused = (input: Parameters<typeof audit.listAuditEvents>[1]) =>
      audit.listAuditEvents(lead, input).then(
        () => null,
        (error: unknown) => error,
      );
    for (const [input, field] of [
      [{ limit: "0" }, "limit"],
      [{ limit: "501" }, "limit"],
      [{ limit: "ten" }, "limit"],
      [{ limit: "2.5" }, "limit"],
      [{ after: "-1" }, "after"],
      [{ after: "1e3" }, "after"],
      [{ after: "99999999999999999999" }, "after"],
      [{ system: "Not A Key!" }, "system"],
      [{ actor: "not-an-email" }, "actor"],
      [{ action: "DROP TABLE audit_event" }, "action"],
      [{ action: "review.%" }, "action"],
    ] as const) {
      const error = await refused(input);
      expect(error, JSON.stringify(input)).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).errors)).toEqual([field]);
    }
    // Empty query-string fields are unset filters, not errors.
    expect(
      (await audit.listAuditEvents(lead, { after: "", limit: "", system: "", actor: " ", action: "" })).events,
    ).toHaveLength(100);
  });
});

describe("the audit page's paging (newest first)", () => {
  it("walks back with `older` and forward again with `newer`", async () => {
    const first = await audit.listAuditPage(lead, { limit: 10 });
    const newest = await seqs("SELECT seq FROM audit_event ORDER BY seq DESC LIMIT 11");
    expect(first.events.map((e) => e.seq)).toEqual(newest.slice(0, 10));
    expect(first.newer).toBeNull();
    expect(first.older).toBe(newest[9]);

    const second = await audit.listAuditPage(lead, { limit: 10, before: first.older! });
    expect(second.events[0]!.seq).toBe(newest[10]);
    expect(second.newer).toBe(newest[10]);
    const back = await audit.listAuditPage(lead, { limit: 10, after: second.newer! });
    expect(back.events.map((e) => e.seq)).toEqual(first.events.map((e) => e.seq));
    expect(back.newer).toBeNull();
  });

  it("pages a filter to its oldest event and says there is nothing older", async () => {
    const expected = await seqs("SELECT seq FROM audit_event WHERE action = 'review.approve' ORDER BY seq DESC");
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await audit.listAuditPage(executive, { action: "review.approve", limit: 50, before });
      seen.push(...page.events.map((e) => e.seq));
      if (!page.older) break;
      before = page.older;
    }
    expect(seen).toEqual(expected);
    // Before the first event: nothing, and the way back starts after event 0.
    expect(await audit.listAuditPage(lead, { action: "review.approve", before: "1" })).toEqual({
      events: [],
      newer: "0",
      older: null,
    });
    await expect(audit.listAuditPage(lead, { before: "5", after: "2" })).rejects.toThrow(ValidationError);
  });
});

describe("who may read it", () => {
  it("refuses engineers, and records each refusal", async () => {
    const before = await count(
      "SELECT count(*) AS n FROM audit_event WHERE action = 'authz.denied' AND actor_email = 'owner@resetboard.dev'",
    );
    await expect(audit.listAuditEvents(engineer, {})).rejects.toThrow(
      new Forbidden("The audit log is for program leads and executives."),
    );
    await expect(audit.listAuditPage(engineer, {})).rejects.toThrow(Forbidden);
    await expect(audit.verifyAuditChain(engineer)).rejects.toThrow(Forbidden);
    // Refused before validation: a stranger learns nothing from the error, not even about the input.
    await expect(audit.listAuditEvents(engineer, { limit: "0" })).rejects.toThrow(Forbidden);
    const after = await count(
      "SELECT count(*) AS n FROM audit_event WHERE action = 'authz.denied' AND actor_email = 'owner@resetboard.dev'",
    );
    expect(after - before).toBe(4);
  });
});

describe("concurrent writers", () => {
  it(
    "leave a linear chain: 8 writers, 2,000 events, sequence 1..N without gaps, verified",
    { timeout: 180_000 },
    async () => {
      const { appendAuditEvent } = await import("@/lib/audit/append");
      const { db } = await import("@/lib/db");
      const start = await count("SELECT count(*) AS n FROM audit_event");
      const WRITERS = 8;
      const EACH = 250;
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          for (let i = 0; i < EACH; i += 1) {
            await db().$transaction(async (tx) => {
              await appendAuditEvent(tx, {
                actorId: null,
                actorEmail: null,
                action: "test.concurrent",
                subjectType: "test",
                subjectId: `${writer}:${i}`,
                // Text beyond ASCII, escapes, and a nested imitation of the sequence's place: the
                // database hashes what this process would, or the append fails.
                data: {
                  writer,
                  i,
                  note: `concurrent “ünïcode” 🚀 \\ "quoted" ${"é".repeat(i % 5)}`,
                  x: { seq: "SEQ", subjectId: "?" },
                },
              });
            });
          }
        }),
      );
      const total = await count("SELECT count(*) AS n FROM audit_event");
      expect(total).toBe(start + WRITERS * EACH);
      const { rows } = await client.query<{
        min: string;
        max: string;
        distinct_subjects: string;
        broken_links: string;
      }>(
        `SELECT min(seq) AS min, max(seq) AS max,
              (SELECT count(DISTINCT subject_id) FROM audit_event WHERE action = 'test.concurrent') AS distinct_subjects,
              (SELECT count(*) FROM audit_event a JOIN audit_event b ON b.seq = a.seq - 1 WHERE a.prev_hash <> b.hash) AS broken_links
         FROM audit_event`,
      );
      expect(rows[0]).toEqual({
        min: "1",
        max: String(total),
        distinct_subjects: String(WRITERS * EACH),
        broken_links: "0",
      });
      expect(await audit.verifyAuditChain(lead)).toEqual({ ok: true, events: total });
    },
  );
});

describe("tamper evidence", () => {
  const statements = (table: string) => [
    `UPDATE "${table}" SET "${table === "audit_event" ? "action" : "id"}" = "${table === "audit_event" ? "action" : "id"}" WHERE true`,
    `DELETE FROM "${table}" WHERE true`,
    `TRUNCATE "${table}" CASCADE`,
  ];

  for (const table of ["audit_event", "review", "evidence"]) {
    it(`refuses UPDATE, DELETE and TRUNCATE on ${table} for the app's connection`, async () => {
      const { db } = await import("@/lib/db");
      const before = await count(`SELECT count(*) AS n FROM "${table}"`);
      expect(before).toBeGreaterThan(0);
      for (const sql of statements(table)) {
        await expect(db().$executeRawUnsafe(sql), sql).rejects.toThrow(/append-only/);
      }
      expect(await count(`SELECT count(*) AS n FROM "${table}"`)).toBe(before);
    });
  }

  it(
    "names exactly the altered event when a superuser changes one past the triggers, in the API and the CLI",
    { timeout: 120_000 },
    async () => {
      const total = await count("SELECT count(*) AS n FROM audit_event");
      expect(cli("audit", "verify")).toMatchObject({ code: 0, out: `Audit chain verified: ${total} events.\n` });

      const target = Math.floor(total / 2);
      const original = (await client.query<{ data: object }>("SELECT data FROM audit_event WHERE seq = $1", [target]))
        .rows[0]!.data;
      const asSuperuser = async (sql: string, params: unknown[]) => {
        await client.query("BEGIN");
        // Replica mode skips ordinary triggers for this transaction: only a superuser can do this.
        await client.query("SET LOCAL session_replication_role = replica");
        await client.query(sql, params);
        await client.query("COMMIT");
      };

      await asSuperuser(`UPDATE audit_event SET data = data || '{"approved": true}'::jsonb WHERE seq = $1`, [target]);
      expect(await audit.verifyAuditChain(lead)).toEqual({ ok: false, brokenAt: String(target), events: target });
      expect(cli("audit", "verify")).toMatchObject({
        code: 1,
        out: `Audit chain broken at event #${target} (${target} events checked).\n`,
      });

      // Put back exactly as it was, the chain holds again: it is the content that is checked.
      await asSuperuser("UPDATE audit_event SET data = $2 WHERE seq = $1", [target, JSON.stringify(original)]);
      expect(await audit.verifyAuditChain(lead)).toEqual({ ok: true, events: total });

      // A removed event breaks the link of the one after it.
      await asSuperuser("DELETE FROM audit_event WHERE seq = $1", [target]);
      expect(await audit.verifyAuditChain(executive)).toEqual({
        ok: false,
        brokenAt: String(target + 1),
        events: target,
      });
    },
  );
});
