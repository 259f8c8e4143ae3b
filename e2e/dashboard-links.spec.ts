// Every headline figure on the dashboard opens the registry filtered to what it counts: the
// registry's total equals the figure (for the tiles that count systems), the checkpoint tiles
// land on the systems holding such checkpoints, and reviewers' names open the systems they review.
import { expect, test, type Page } from "@playwright/test";
import { storageState, withDb } from "./fixtures";

const number = (text: string) => Number(text.replace(/[^0-9]/g, ""));

/** The registry's total, from its pager ("1–50 of 123 systems"), or 0 on its empty state. */
async function registryTotal(page: Page): Promise<number> {
  await expect(page.getByRole("heading", { name: "Systems", level: 1 })).toBeVisible();
  const pager = page.getByText(/ of \d+ systems?$/);
  if (await page.getByText("No systems match these filters").isVisible()) return 0;
  return number(((await pager.innerText()) ?? "").split(" of ")[1]!);
}

test.describe("the dashboard's links", () => {
  test.use({ storageState: storageState("exec") });

  test("tiles land on a registry whose count equals the tile's figure", async ({ page }) => {
    // Five dashboard and five registry loads: more than one page's default budget.
    test.setTimeout(120_000);
    await page.goto("/dashboard");
    // "Systems fully reset: N of M" → systems whose health is Done: N.
    const done = page.getByTestId("tile-systems-done");
    const reset = number(((await done.locator("dd").first().innerText()) ?? "").split(" of ")[0]!);
    await done.getByRole("link", { name: /Show the systems: Systems fully reset/ }).click();
    await expect(page).toHaveURL(/\/systems\?health=DONE$/);
    expect(await registryTotal(page)).toBe(reset);

    // "Overdue checkpoints … N systems overdue" → systems whose health is Overdue: N.
    await page.goto("/dashboard");
    const overdue = page.getByTestId("tile-overdue");
    const overdueSystems = number(/(\d[\d,]*) systems? overdue/.exec(await overdue.innerText())![1]!);
    await overdue.getByRole("link", { name: /Show the systems: Overdue checkpoints/ }).click();
    await expect(page).toHaveURL(/\/systems\?health=OVERDUE$/);
    expect(await registryTotal(page)).toBe(overdueSystems);

    // "Submitted" → the systems with a submitted checkpoint, as the database counts them.
    await page.goto("/dashboard");
    await page
      .getByTestId("tile-submitted")
      .getByRole("link", { name: /Show the systems: Submitted/ })
      .click();
    await expect(page).toHaveURL(/\/systems\?status=SUBMITTED$/);
    await expect(page.getByRole("link", { name: /Showing systems with a checkpoint submitted/ })).toBeVisible();
    const submitted = await withDb(
      async (client) =>
        (
          await client.query<{ n: number }>(
            `SELECT count(DISTINCT s.id)::int AS n FROM system s JOIN checkpoint c ON c.system_id = s.id
              JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active
             WHERE s.archived_at IS NULL AND c.status = 'SUBMITTED'`,
          )
        ).rows[0]!.n,
    );
    expect(await registryTotal(page)).toBe(submitted);

    // A tier's row ("… of N systems reset") → that tier's systems: N.
    await page.goto("/dashboard");
    const tier0 = page
      .getByRole("region", { name: /By tier/ })
      .getByRole("listitem")
      .filter({ hasText: "Tier 0" });
    const tierSystems = number(/of (\d[\d,]*) systems reset/.exec(await tier0.innerText())![1]!);
    await tier0.getByRole("link", { name: "Tier 0" }).click();
    await expect(page).toHaveURL(/\/systems\?tier=TIER_0$/);
    expect(await registryTotal(page)).toBe(tierSystems);
  });

  test("a reviewer's name in the reviewer-load chart opens the systems they review", async ({ page }) => {
    await page.goto("/dashboard");
    const load = page.getByRole("region", { name: /Reviewer load/ });
    const first = load.getByRole("link").first();
    const name = (await first.innerText()).trim();
    await first.click();
    await expect(page).toHaveURL(/\/systems\?reviewer=/);
    const email = decodeURIComponent(new URL(page.url()).searchParams.get("reviewer")!);
    const reviews = await withDb(
      async (client) =>
        (
          await client.query<{ n: number; name: string }>(
            `SELECT count(*)::int AS n, min(u.name) AS name FROM assignment a JOIN app_user u ON u.id = a.user_id
               JOIN system s ON s.id = a.system_id
              WHERE u.email = $1 AND a.kind = 'REVIEWER' AND s.archived_at IS NULL`,
            [email],
          )
        ).rows[0]!,
    );
    expect(reviews.name).toBe(name);
    expect(await registryTotal(page)).toBe(reviews.n);
  });
});
