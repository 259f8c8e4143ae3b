// GET /api/v1/people as the registry's person pickers use it: matches on any part of a name or
// e-mail in any case, those starting with the search first, the limit kept, the search taken
// literally, bad parameters a 400 problem. Who may call it: app/authorization-matrix.int.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { type Handler, session } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));

let database: AppTestDatabase;

async function get(query: string): Promise<Response> {
  const mod = (await import("./route")) as { GET: Handler };
  return mod.GET(new Request(`http://test/api/v1/people${query}`), { params: Promise.resolve({}) });
}

async function items(query: string): Promise<{ email: string; name: string }[]> {
  const response = await get(query);
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { items: { email: string; name: string }[] }).items;
}

beforeAll(async () => {
  database = await createAppTestDatabase();
  const { rows } = await database.client.query<SessionUser>(
    "SELECT id, email, name, role, seniority FROM app_user WHERE email = 'owner@resetboard.dev'",
  );
  session.user = rows[0]!;
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("GET /api/v1/people", () => {
  it("finds assigned people by part of their name or e-mail, in any case, starting matches first", async () => {
    const { rows } = await database.client.query<{ name: string; email: string }>(
      "SELECT name, email FROM app_user WHERE email = 'reviewer@resetboard.dev'",
    );
    const reviewer = rows[0]!;
    const first = reviewer.name.split(" ")[0]!;
    expect(await items(`?q=${encodeURIComponent(first.toUpperCase())}`)).toContainEqual(reviewer);
    expect(await items("?q=reviewer%40RESETBOARD")).toEqual([reviewer]);
    const found = await items("?q=an&limit=50");
    expect(found.length).toBeGreaterThan(1);
    const starts = (p: { name: string; email: string }) =>
      p.name.toLowerCase().startsWith("an") || p.email.toLowerCase().startsWith("an");
    const firstOther = found.findIndex((p) => !starts(p));
    if (firstOther >= 0) expect(found.slice(firstOther).some(starts)).toBe(false);
    for (const p of found) expect(`${p.name} ${p.email}`.toLowerCase()).toContain("an");
  });

  it("keeps the limit, lists the first people by name without a search, and takes % and _ literally", async () => {
    const some = await items("?limit=3");
    expect(some).toHaveLength(3);
    expect(some.map((p) => p.name)).toEqual([...some.map((p) => p.name)].sort((a, b) => (a < b ? -1 : 1)));
    expect(await items("?q=%25")).toEqual([]);
    expect(await items("?q=_")).toEqual([]);
  });

  it("answers a 400 problem for a bad limit or a control character, and writes nothing", async () => {
    for (const query of ["?limit=0", "?limit=51", "?limit=x", "?q=%00", `?q=${"a".repeat(101)}`]) {
      const response = await get(query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
  });
});
