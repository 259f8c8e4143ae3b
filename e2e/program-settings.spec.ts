// Program settings: a lead moves a milestone's due day and sees the systems' due dates
// follow; an invalid or stale save keeps what was typed and says why; the program's time zone is
// chosen from the list (and the page passes axe); engineers have no way in.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageState, withDb } from "./fixtures";

// One worker: these tests change the program that every other page reads; afterAll puts it back.
test.describe.configure({ mode: "serial" });

const MILESTONE = "documentation";
const GROUP = /Milestone 7: Runbook and change documentation complete/;
const shortDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

let startsOn: Date;
let originalDueDay: number;
let systemKey: string;

test.beforeAll(async () => {
  await withDb(async (client) => {
    const { rows } = await client.query<{ starts_on: string; due_day: number }>(
      `SELECT to_char(p.starts_on, 'YYYY-MM-DD') AS starts_on, m.due_day FROM program p JOIN milestone m ON m.program_id = p.id WHERE p.active AND m.key = $1`,
      [MILESTONE],
    );
    startsOn = new Date(`${rows[0]!.starts_on}T00:00:00Z`);
    originalDueDay = rows[0]!.due_day;
    // A system whose documentation checkpoint keeps its derived date (no lead override).
    const system = await client.query<{ key: string }>(
      `SELECT s.key FROM system s JOIN checkpoint c ON c.system_id = s.id JOIN milestone m ON m.id = c.milestone_id
        WHERE m.key = $1 AND c.due_on_override_reason IS NULL AND s.joined_on IS NULL AND s.archived_at IS NULL ORDER BY s.key LIMIT 1`,
      [MILESTONE],
    );
    systemKey = system.rows[0]!.key;
  });
});

test.afterAll(async () => {
  await withDb(async (client) => {
    await client.query("UPDATE program SET time_zone = 'UTC' WHERE active");
    await client.query(
      "UPDATE milestone m SET due_day = $2 FROM program p WHERE p.id = m.program_id AND p.active AND m.key = $1",
      [MILESTONE, originalDueDay],
    );
    await client.query(
      `UPDATE checkpoint c SET due_on = p.starts_on + m.due_day FROM milestone m JOIN program p ON p.id = m.program_id
        WHERE c.milestone_id = m.id AND m.key = $1 AND p.active AND c.due_on_override_reason IS NULL`,
      [MILESTONE],
    );
  });
});

/** A save round-trips through the server action and re-renders the page; allow for a busy machine. */
const SAVED = { timeout: 30_000 };

const dueOn = (day: number) => shortDate.format(new Date(startsOn.getTime() + day * 86_400_000));

/** The settings page, through the admin area's tabs or by address; the documentation milestone's fields. */
async function openSettings(page: Page, via: "tabs" | "address" = "address") {
  if (via === "tabs") {
    await page.goto("/admin/users");
    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Program" }).click();
  } else {
    await page.goto("/admin/program");
  }
  // The whole program renders at once; on a loaded machine that can take longer than a click.
  await expect(page.getByRole("heading", { name: "Program settings", level: 1 })).toBeVisible({ timeout: 30_000 });
  return page.getByRole("group", { name: GROUP });
}

test.describe("a program lead", () => {
  test.use({ storageState: storageState("lead") });

  test("moves a milestone's due day and sees the checkpoints' due dates move on a system page", async ({ page }) => {
    test.slow();
    const newDay = originalDueDay + 3;
    await page.goto(`/systems/${systemKey}`);
    const checkpoint = page.getByRole("region", { name: /Runbook and change documentation complete/ });
    await expect(checkpoint.getByText(new RegExp(`Due ${dueOn(originalDueDay)}\\b`))).toBeVisible();

    const documentation = await openSettings(page, "tabs");
    const dueDay = documentation.getByLabel("Due day");
    await expect(dueDay).toHaveValue(String(originalDueDay));
    await dueDay.fill(String(newDay));
    // The date it makes shows before saving.
    await expect(documentation.getByText(`Due ${dueOn(newDay)}, `)).toBeVisible();
    await page.getByRole("button", { name: "Save program settings" }).click();
    await expect(page.getByRole("form", { name: "Program settings" }).getByRole("status")).toHaveText(
      /^Program settings saved\. [\d,]+ checkpoints moved to the new due dates\.$/,
      SAVED,
    );

    await page.goto(`/systems/${systemKey}`);
    await expect(checkpoint.getByText(new RegExp(`Due ${dueOn(newDay)}\\b`))).toBeVisible();
    await expect(checkpoint.getByText(new RegExp(`Due ${dueOn(originalDueDay)}\\b`))).toHaveCount(0);

    // The change is on record, before and after.
    await page.goto("/audit?action=milestone.update");
    await expect(
      page.getByRole("cell", { name: `${MILESTONE}: Changed dueDay ${originalDueDay} → ${newDay}` }).first(),
    ).toBeVisible();
  });

  test("an invalid due day is named and nothing is saved; a stale save keeps the input and says why", async ({
    page,
    browser,
  }) => {
    test.slow();
    const documentation = await openSettings(page);
    const dueDay = documentation.getByLabel("Due day");
    await dueDay.fill("91");
    await page.getByRole("button", { name: "Save program settings" }).click();
    await expect(page.getByRole("form", { name: "Program settings" }).getByRole("alert")).toHaveText(
      "Nothing was saved: 1 field needs attention (marked below).",
      SAVED,
    );
    await expect(
      documentation.getByText("The due day must be between 1 and 90 (the program lasts 90 days)"),
    ).toBeVisible();
    await expect(dueDay).toHaveAttribute("aria-invalid", "true");
    await expect(dueDay).toHaveValue("91");

    // Meanwhile another lead saves a change from a second window.
    const other = await (await browser.newContext({ storageState: storageState("lead") })).newPage();
    const theirs = await openSettings(other);
    await theirs
      .getByLabel("Evidence hint (what good evidence looks like)")
      .fill("Runbook link and the last change record");
    await other.getByRole("button", { name: "Save program settings" }).click();
    await expect(other.getByRole("form", { name: "Program settings" }).getByRole("status")).toHaveText(
      "Program settings saved.",
      SAVED,
    );

    await dueDay.fill("80");
    await page.getByRole("button", { name: "Save program settings" }).click();
    await expect(page.getByRole("form", { name: "Program settings" }).getByRole("alert")).toContainText(
      "Someone else saved the program settings since you opened them",
      SAVED,
    );
    await expect(dueDay).toHaveValue("80");
  });
});

test.describe("the program's time zone", () => {
  test.use({ storageState: storageState("lead") });

  test("a lead picks the zone from the list; it is saved and shown again, and the page passes axe", async ({
    page,
  }) => {
    test.slow();
    await openSettings(page);
    const zone = page.getByLabel("Time zone");
    await expect(zone).toHaveValue("UTC");
    await expect(zone).toHaveAccessibleDescription(/weekly executive summary goes out on Monday at 08:00 here/);
    await zone.selectOption("Europe/Berlin");
    await page.getByRole("button", { name: "Save program settings" }).click();
    await expect(page.getByRole("form", { name: "Program settings" }).getByRole("status")).toHaveText(
      "Program settings saved.",
      SAVED,
    );
    await openSettings(page);
    await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
    await page
      .getByLabel("Time zone")
      .screenshot({ path: test.info().outputPath("time-zone.png") })
      .catch(() => undefined);
    await page.screenshot({ path: test.info().outputPath("program-settings.png") });
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});

test.describe("one-click unsubscribe, signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a forged link is answered with a 400 problem, not the sign-in page", async ({ request }) => {
    const forged = "v1.00000000-0000-0000-0000-000000000000.AT_RISK." + "A".repeat(43);
    for (const method of ["get", "post"] as const) {
      const response = await request[method](`/api/v1/notifications/unsubscribe?token=${forged}`, {
        maxRedirects: 0,
        ...(method === "post"
          ? { data: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } }
          : {}),
      });
      expect(response.status()).toBe(400);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
    }
  });
});

test.describe("an engineer", () => {
  test.use({ storageState: storageState("owner") });

  test("is refused the settings page with 403", async ({ page }) => {
    const response = await page.goto("/admin/program");
    expect(response?.status()).toBe(403);
  });
});
