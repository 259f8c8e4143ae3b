// The systems registry as a program lead works in it: a filtered, sorted view that
// lives in the URL, survives a reload and exports exactly its rows; keyboard-only use; and a
// bulk reviewer assignment that respects separation of duties.
import fs from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { storageState, withDb } from "./fixtures";

test.use({ storageState: storageState("lead") });
// Each journey loads the registry several times (and downloads an export): give it room on a busy machine.
test.slow();

/** Systems of the active program that are overdue (rule 9): a checkpoint not done and past due, in next-due order. */
const OVERDUE_SQL = `
  SELECT s.key, s.team, min(c.due_on) FILTER (WHERE c.status NOT IN ('APPROVED', 'WAIVED')) AS next_due
    FROM system s
    JOIN checkpoint c ON c.system_id = s.id
    JOIN milestone m ON m.id = c.milestone_id
    JOIN program p ON p.id = m.program_id AND p.active
   WHERE s.tier = 'TIER_0' AND s.archived_at IS NULL
   GROUP BY s.id
  HAVING bool_or(c.status NOT IN ('APPROVED', 'WAIVED') AND c.due_on < (now() AT TIME ZONE 'UTC')::date)`;

async function tableKeys(page: Page): Promise<string[]> {
  const links = page.getByRole("table").getByRole("link");
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.map((href) => href.replace("/systems/", ""));
}

test("a lead filters to one team's overdue Tier 0 systems, sorts by next due date, reloads, and exports exactly those rows", async ({
  page,
}) => {
  // The team with the most overdue Tier 0 systems, and those systems in next-due order.
  const { team, expected } = await withDb(async (client) => {
    const { rows } = await client.query<{ key: string; team: string; next_due: Date }>(
      `${OVERDUE_SQL} ORDER BY next_due, s.key`,
    );
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.team, (counts.get(r.team) ?? 0) + 1);
    const team = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    return { team, expected: rows.filter((r) => r.team === team).map((r) => r.key) };
  });
  expect(expected.length).toBeGreaterThan(1);

  await page.goto("/systems");
  const filters = page.getByRole("search", { name: "Filter systems" });
  await filters.getByText("Filters", { exact: true }).click();
  await filters.getByLabel("Team", { exact: true }).selectOption(team);
  await filters.getByLabel("Tier", { exact: true }).selectOption("TIER_0");
  await filters.getByLabel("Health", { exact: true }).selectOption("OVERDUE");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/team=.*tier=TIER_0.*health=OVERDUE/);

  await page.getByRole("table").getByRole("button", { name: "Next due" }).click();
  await expect(page).toHaveURL(/sort=nextDue&dir=asc/);
  await expect(page.getByRole("columnheader", { name: "Next due" })).toHaveAttribute("aria-sort", "ascending");
  await expect(page.getByText(`1–${expected.length} of ${expected.length} systems`)).toBeVisible();
  expect(await tableKeys(page)).toEqual(expected);

  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(page.getByRole("columnheader", { name: "Next due" })).toHaveAttribute("aria-sort", "ascending");
  await expect(filters.getByLabel("Team", { exact: true })).toHaveValue(team);
  await expect(filters.getByLabel("Tier", { exact: true })).toHaveValue("TIER_0");
  await expect(filters.getByLabel("Health", { exact: true })).toHaveValue("OVERDUE");
  expect(await tableKeys(page)).toEqual(expected);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export view (CSV)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^systems-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await fs.readFile(await download.path(), "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]!.split(",").slice(0, 4)).toEqual(["key", "name", "team", "tier"]);
  expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(expected);
  expect(lines.slice(1).every((line) => line.includes(",TIER_0,") && line.includes(",OVERDUE,"))).toBe(true);
});

test("keyboard only: reach the filters, sort a column, open a system", async ({ page }) => {
  await page.goto("/systems");
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName ?? "",
        name: el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? "",
        id: el?.id ?? "",
        href: el?.getAttribute("href") ?? "",
        inTable: Boolean(el?.closest("table")),
      };
    });
  async function tabUntil(predicate: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 80) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press("Tab");
      if (predicate(await focused())) return;
    }
    throw new Error("never reached the element with Tab");
  }

  await tabUntil((f) => f.id === "systems-q");
  await page.keyboard.type("payments");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/q=payments/);
  // The search is a full page load; the sort buttons answer once the page has hydrated.
  await page.waitForLoadState("networkidle");

  await tabUntil((f) => f.tag === "BUTTON" && f.inTable && f.name === "Team");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/sort=team&dir=asc/);
  await expect(page.getByRole("columnheader", { name: "Team" })).toHaveAttribute("aria-sort", "ascending");

  await tabUntil((f) => f.tag === "A" && f.inTable && f.href.startsWith("/systems/"));
  const target = (await focused()).href;
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${target}$`));
});

test("a lead assigns a reviewer to selected systems, and systems they own are skipped", async ({ page }) => {
  // A person who owns one system of a team and has no part in two others of it.
  const pick = await withDb(async (client) => {
    const { rows } = await client.query<{ email: string; name: string; team: string; owned: string; free: string[] }>(`
      SELECT u.email, u.name, s.team, s.key AS owned,
             (SELECT array_agg(f.key ORDER BY f.key) FROM (SELECT f.key FROM system f WHERE f.team = s.team AND f.archived_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM assignment x WHERE x.system_id = f.id AND x.user_id = u.id) ORDER BY f.key LIMIT 2) f) AS free
        FROM app_user u JOIN assignment a ON a.user_id = u.id AND a.kind = 'OWNER' JOIN system s ON s.id = a.system_id
       WHERE u.role = 'ENGINEER' AND u.active AND s.archived_at IS NULL AND u.email NOT IN ('owner@resetboard.dev', 'reviewer@resetboard.dev', 'junior@resetboard.dev')
       ORDER BY u.email, s.key LIMIT 1`);
    return rows[0]!;
  });
  expect(pick.free).toHaveLength(2);
  const names = await withDb(
    async (client) =>
      (
        await client.query<{ key: string; name: string }>("SELECT key, name FROM system WHERE key = ANY($1)", [
          [pick.owned, ...pick.free],
        ])
      ).rows,
  );

  await page.goto(`/systems?team=${encodeURIComponent(pick.team)}&pageSize=200`);
  for (const { key, name } of names) await page.getByRole("checkbox", { name: `Select ${name} (${key})` }).check();
  const bulk = page.getByRole("region", { name: "Bulk actions" });
  await expect(bulk).toContainText("3 selected");
  // The picker suggests people as one types part of a name; the field takes the e-mail.
  const reviewerField = bulk.getByLabel("Reviewer to assign");
  await reviewerField.pressSequentially(pick.name.split(" ")[0]!.slice(0, 4));
  await expect(bulk.locator(`datalist option[value="${pick.email}"]`)).toBeAttached();
  await reviewerField.fill(pick.email);
  await bulk.getByRole("button", { name: "Assign reviewer" }).click();
  await expect(page.getByRole("status")).toContainText(
    `Assigned ${pick.name} to 2 systems; skipped 1 where ${pick.name} is an owner (${pick.owned}).`,
  );

  const kinds = await withDb(
    async (client) =>
      (
        await client.query<{ key: string; kind: string }>(
          "SELECT s.key, a.kind FROM assignment a JOIN system s ON s.id = a.system_id JOIN app_user u ON u.id = a.user_id WHERE u.email = $1 AND s.key = ANY($2) ORDER BY s.key",
          [pick.email, [pick.owned, ...pick.free]],
        )
      ).rows,
  );
  expect(Object.fromEntries(kinds.map((k) => [k.key, k.kind]))).toEqual({
    [pick.owned]: "OWNER",
    [pick.free[0]!]: "REVIEWER",
    [pick.free[1]!]: "REVIEWER",
  });
});
