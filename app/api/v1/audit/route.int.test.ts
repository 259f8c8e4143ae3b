// GET /api/v1/audit and /api/v1/audit/verify as a client sees them: JSON shapes and problem+json
// for bad parameters. Who may call them is covered by app/authorization-matrix.int.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { type Handler, session } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));

let database: AppTestDatabase;

async function get(route: "audit" | "audit/verify", query = ""): Promise<Response> {
  const mod = (await import(route === "audit" ? "./route" : "./verify/route")) as { GET: Handler };
  return mod.GET(new Request(`http://test/api/v1/${route}${query}`), { params: Promise.resolve({}) });
}

async function eventCount(): Promise<number> {
  return Number((await database.client.query<{ n: string }>("SELECT count(*) AS n FROM audit_event")).rows[0]!.n);
}

beforeAll(async () => {
  database = await createAppTestDatabase();
  const { rows } = await database.client.query<SessionUser>(
    "SELECT id, email, name, role, seniority FROM app_user WHERE email = 'exec@resetboard.dev'",
  );
  session.user = rows[0]!;
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("GET /api/v1/audit", () => {
  it("answers events after a sequence number, with the cursor for the next call", async () => {
    const response = await get("audit", "?after=3&limit=2");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as {
      events: { seq: string; prevHash: string; hash: string }[];
      next: string | null;
    };
    expect(body.events.map((e) => e.seq)).toEqual(["4", "5"]);
    expect(body.events[1]!.prevHash).toBe(body.events[0]!.hash);
    expect(body.next).toBe("5");
    expect(Object.keys(body.events[0]!).sort()).toEqual([
      "action",
      "actor",
      "at",
      "data",
      "hash",
      "prevHash",
      "seq",
      "subject",
      "systemKey",
    ]);
  });

  it("filters by system, actor and action prefix", async () => {
    const response = await get("audit", "?actor=reviewer%40resetboard.dev&action=review.&limit=500");
    const body = (await response.json()) as { events: { action: string; actor: { email: string } }[] };
    expect(body.events.length).toBeGreaterThan(0);
    for (const event of body.events) {
      expect(event.action).toMatch(/^review\./);
      expect(event.actor).toEqual({ email: "reviewer@resetboard.dev" });
    }
  });

  it("answers 400 problem+json, a message per field, for malformed parameters, and writes nothing", async () => {
    const before = await eventCount();
    const response = await get("audit", "?after=abc&limit=1000&system=Bad%20Key&action=%25");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as { status: number; errors: Record<string, string[]> };
    expect(problem.status).toBe(400);
    expect(Object.keys(problem.errors).sort()).toEqual(["action", "after", "limit", "system"]);
    expect(await eventCount()).toBe(before);
  });
});

describe("GET /api/v1/audit/verify", () => {
  it("answers ok with the number of events walked", async () => {
    const response = await get("audit/verify");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, events: await eventCount() });
  });
});
