// The route handlers outside the public API (CSV exports, the report's CSV, the import engine):
// found by walking app/ so that a new one cannot be forgotten, each called as nobody (401) and
// as the roles it must refuse (403, with only the refusal written) and allow.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { session } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));

type Who = "anonymous" | "lead" | "engineer" | "executive";

// next-auth's own handler and the public health check are covered by their e2e specs; readiness
// (public) and metrics (loopback or a metrics token, never a session) by their own tests.
const EXEMPT = new Set([
  "api/auth/[...nextauth]/route.ts",
  "api/health/route.ts",
  "api/health/ready/route.ts",
  "api/metrics/route.ts",
]);

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const routeFiles = walk(path.resolve("app"))
  .filter((file) => file.endsWith(`${path.sep}route.ts`))
  .map((file) => path.relative(path.resolve("app"), file).split(path.sep).join("/"))
  .filter((file) => !file.startsWith("api/v1/") && !EXEMPT.has(file));

function importForm(): FormData {
  const data = new FormData();
  data.set("mode", "preview");
  data.set("file", new File(["key,name,team,tier\n"], "systems.csv", { type: "text/csv" }));
  return data;
}

interface Case {
  method: "GET" | "POST";
  url: string;
  init?: () => RequestInit;
  /** Status per caller; anyone not listed must get 401 (anonymous) or 403. */
  allowed: Partial<Record<Who, number>>;
}

const CASES: Record<string, Case> = {
  "api/export/systems/route.ts": {
    method: "GET",
    url: "http://test/api/export/systems?tier=TIER_0",
    allowed: { lead: 200, engineer: 200, executive: 200 },
  },
  "api/export/program/route.ts": {
    method: "GET",
    url: "http://test/api/export/program",
    allowed: { lead: 200, engineer: 200, executive: 200 },
  },
  "(app)/report/csv/route.ts": {
    method: "GET",
    url: "http://test/report/csv",
    allowed: { lead: 200, engineer: 200, executive: 200 },
  },
  "(app)/systems/import/run/route.ts": {
    method: "POST",
    url: "http://test/systems/import/run",
    init: () => ({ body: importForm() }),
    allowed: { lead: 200 },
  },
};

let database: AppTestDatabase;
const users = {} as Record<Exclude<Who, "anonymous">, SessionUser>;

beforeAll(async () => {
  database = await createAppTestDatabase();
  const pick = async (email: string) =>
    (
      await database.client.query<SessionUser>(
        "SELECT id, email, name, role, seniority FROM app_user WHERE email = $1",
        [email],
      )
    ).rows[0]!;
  users.lead = await pick("lead@resetboard.dev");
  users.engineer = await pick("owner@resetboard.dev");
  users.executive = await pick("exec@resetboard.dev");
}, 120_000);

afterAll(async () => {
  await database?.close();
});

async function counts() {
  const { rows } = await database.client.query<{ systems: string; events: string; refusals: string }>(
    "SELECT (SELECT count(*) FROM system) AS systems, (SELECT count(*) FROM audit_event) AS events, (SELECT count(*) FROM audit_event WHERE action = 'authz.denied') AS refusals",
  );
  return rows[0]!;
}

describe("route handlers outside /api/v1", () => {
  it("has a case for every one of them", () => {
    expect(routeFiles.sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [file, spec] of Object.entries(CASES)) {
    for (const who of ["anonymous", "lead", "engineer", "executive"] as const) {
      const expected = spec.allowed[who] ?? (who === "anonymous" ? 401 : 403);
      it(`${spec.method} ${file}: ${who} gets ${expected}`, async () => {
        const mod = (await import(path.resolve("app", ...file.split("/")))) as Record<
          string,
          (request: Request, segment: { params: Promise<object> }) => Promise<Response>
        >;
        session.user = who === "anonymous" ? null : users[who];
        const before = await counts();
        const response = await mod[spec.method]!(new Request(spec.url, { method: spec.method, ...spec.init?.() }), {
          params: Promise.resolve({}),
        });
        const body = await response.text();
        expect(response.status, body).toBe(expected);
        const after = await counts();
        expect(after.systems).toBe(before.systems);
        if (expected === 403) expect(Number(after.refusals)).toBe(Number(before.refusals) + 1);
        if (expected === 401) expect(after.events).toBe(before.events);
        if (expected === 200 && spec.method === "GET")
          expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
      });
    }
  }
});
