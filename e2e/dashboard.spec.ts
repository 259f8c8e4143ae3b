// The dashboard and the executive report as an executive and a lead meet them on the demo data:
// the numbers agree with the database, the heatmap leads to the right systems, axe finds nothing,
// and both pages are photographed on a desktop and a 390-px phone for the reviewer to look at.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageState, withDb } from "./fixtures";

async function tile(page: Page, id: string): Promise<string> {
  return (await page.getByTestId(id).locator("dd").first().innerText()).trim();
}

const number = (text: string) => Number(text.replace(/[^0-9]/g, ""));

test.describe("an executive", () => {
  test.use({ storageState: storageState("exec") });

  test("lands on the dashboard and reads the same figures as the database", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    // Read the page, then the database, and compare; other specs only add work, never approve or
    // waive outside their own serial journeys, so a mismatch here is a real disagreement.
    const approved = number(await tile(page, "tile-approved"));
    const waived = number(await tile(page, "tile-waived"));
    const db = await withDb(async (client) => {
      const { rows } = await client.query<{ approved: number; waived: number; systems: number }>(
        `SELECT count(*) FILTER (WHERE status = 'APPROVED')::int AS approved, count(*) FILTER (WHERE status = 'WAIVED')::int AS waived,
                (SELECT count(*) FROM system WHERE archived_at IS NULL)::int AS systems
           FROM checkpoint WHERE system_id IN (SELECT id FROM system WHERE archived_at IS NULL)`,
      );
      return rows[0]!;
    });
    expect(Math.abs(approved - db.approved)).toBeLessThanOrEqual(2);
    expect(Math.abs(waived - db.waived)).toBeLessThanOrEqual(2);
    expect(await tile(page, "tile-systems-done")).toMatch(/ of \d/);
    // The charts are there, each with its data as a table for those who would rather read.
    for (const name of [
      "Burn-up",
      "Milestones",
      "Where systems stand",
      "Teams × milestones",
      "By tier",
      "Reviewer load",
    ]) {
      await expect(page.getByRole("region", { name: new RegExp(name) })).toBeVisible();
    }
    await expect(page.getByTestId("forecast")).toHaveText(/checkpoints? a day|no pace|Every checkpoint is done/);
    const burnUp = page.getByRole("img", { name: /^Burn-up: by day \d+/ });
    await expect(burnUp).toBeVisible();
    await page
      .getByRole("region", { name: /Milestones/ })
      .getByText("Show the data as a table")
      .click();
    await expect(
      page.getByRole("region", { name: /Milestones/ }).getByRole("rowheader", { name: "Rollback plan tested" }),
    ).toBeVisible();
  });

  test("has no accessibility violations on the dashboard and the report", async ({ page }) => {
    // axe walks every node of two long pages (hundreds of table cells): slow on a shared machine.
    test.slow();
    for (const path of ["/dashboard", "/report"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      // The first nodes of each violation, with axe's own explanation, so a failure says where to look.
      const where = (v: (typeof results.violations)[number]) =>
        v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`)
          .join(" | ");
      expect(results.violations.map((v) => `${path}: ${v.id} (${v.nodes.length}) ${v.help} — ${where(v)}`)).toEqual([]);
    }
  });

  test("opens the printable report with the week-over-week change and downloads its CSV", async ({ page }) => {
    await page.goto("/report");
    await expect(page.getByRole("heading", { name: "Code Safety Reset 2026", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Week over week" })).toBeVisible();
    // The demo program is on day 41, so five weeks have finished and been frozen.
    await expect(page.getByText(/Since week 5 ended/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeVisible();
    await expect(page.getByRole("region", { name: /Top risks/ })).toBeVisible();
    const approved = number(await tile(page, "tile-approved"));
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^resetboard-report-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv).toString("utf8");
    expect(text.split("\r\n")[0]).toBe("section,figure,value");
    const row = text.split("\r\n").find((line) => line.startsWith("checkpoints,approved,"));
    expect(Math.abs(Number(row?.split(",")[2]) - approved)).toBeLessThanOrEqual(2);
    const frozen = await withDb(
      async (client) =>
        (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM weekly_snapshot")).rows[0]!.n,
    );
    expect(frozen).toBe(5);
  });

  test("is photographed on a desktop and a phone", async ({ page }, info) => {
    test.slow();
    for (const [width, height] of [
      [1400, 900],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const path of ["/dashboard", "/report"]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        // Nothing may push the page wider than the screen (tables scroll inside their card).
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} at ${width}px is wider than the screen`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: info.outputPath(`${path.slice(1)}-${width}.png`), fullPage: true });
      }
    }
  });
});

test.describe("a program lead", () => {
  test.use({ storageState: storageState("lead") });

  test("follows a heatmap cell to that team's systems at that milestone", async ({ page }) => {
    await page.goto("/dashboard");
    const heatmap = page.getByRole("region", { name: /Teams × milestones/ });
    const cell = heatmap.getByRole("link", { name: /^Payments, Rollback plan tested: \d+ of \d+ done/ });
    await cell.click();
    await expect(page).toHaveURL(/\/systems\?team=Payments&milestone=rollback$/);
    await expect(page.getByRole("heading", { name: "Systems", level: 1 })).toBeVisible();
    const expected = await withDb(
      async (client) =>
        (
          await client.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM system WHERE team = 'Payments' AND archived_at IS NULL",
          )
        ).rows[0]!.n,
    );
    await expect(page.getByText(new RegExp(`of ${expected} systems?`))).toBeVisible();
  });
});
