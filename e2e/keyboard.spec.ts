// An owner's journey without a mouse: follow a link to a milestone, add evidence (a refused
// link keeps what was typed and says why at the field), submit, and hear what comes next.
import { expect, test, type Page } from "@playwright/test";
import { storageState, withDb } from "./fixtures";

test.use({ storageState: storageState("owner") });
// One worker, in order: the second journey starts where the first left the milestone.
test.describe.configure({ mode: "serial" });

let systemKey: string;
test.beforeAll(async () => {
  // A Tier 1/2 system of the demo owner whose documentation milestone starts afresh.
  systemKey = await withDb(async (client) => {
    const { rows } = await client.query<{ key: string; id: string }>(
      `SELECT s.key, s.id FROM system s
         JOIN assignment o ON o.system_id = s.id AND o.kind = 'OWNER'
         JOIN app_user u ON u.id = o.user_id AND u.email = 'owner@resetboard.dev'
        WHERE s.tier <> 'TIER_0' AND NOT s.ai_assisted
          AND NOT EXISTS (SELECT 1 FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id JOIN evidence e ON e.checkpoint_id = c.id
                           WHERE c.system_id = s.id AND m.key = 'documentation')
        ORDER BY s.key DESC LIMIT 1`,
    );
    const system = rows[0]!;
    await client.query(
      `UPDATE checkpoint c SET status = 'NOT_STARTED', completed_at = NULL, version = c.version + 1
         FROM milestone m WHERE m.id = c.milestone_id AND c.system_id = $1 AND m.key = 'documentation'
          AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.checkpoint_id = c.id)`,
      [system.id],
    );
    return system.key;
  });
});

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      id: el?.id ?? "",
      label: el?.getAttribute("aria-label") ?? "",
      text: (el?.textContent ?? "").trim().slice(0, 200),
    };
  });

async function tabTo(page: Page, found: (f: Awaited<ReturnType<typeof focused>>) => boolean, key = "Tab", max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (found(await focused(page))) return;
  }
  throw new Error("never reached the element from the keyboard");
}

test("an owner adds evidence and submits without a mouse", async ({ page }) => {
  test.slow();
  await page.goto(`/systems/${systemKey}#cp-documentation`);
  // The link lands on the milestone: in view, with the focus on it.
  const milestone = page.locator("#cp-documentation");
  await expect(milestone).toBeFocused();
  await expect(milestone).toBeInViewport();

  await tabTo(page, (f) => f.id === "evidence-documentation-url");
  await page.keyboard.type("javascript:alert(1)");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Runbook, reviewed");
  await page.keyboard.press("Enter");
  // Refused: the link field has the focus and its one message; nothing typed is lost.
  const url = page.locator("#evidence-documentation-url");
  await expect(url).toBeFocused();
  await expect(url).toHaveAccessibleDescription("Only http:// and https:// links are accepted");
  await expect(url).toHaveValue("javascript:alert(1)");
  await expect(page.locator("#evidence-documentation-title-input")).toHaveValue("Runbook, reviewed");
  await expect(page.getByText(/^url:/)).toHaveCount(0);

  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("https://docs.example.com/runbooks/reviewed");
  await page.keyboard.press("Enter");
  await expect(
    page.getByRole("status").filter({ hasText: /^Evidence added to “Runbook and change documentation complete”/ }),
  ).toBeFocused();

  await tabTo(page, (f) => f.label === "Submit Runbook and change documentation complete for review", "Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(
    page.getByRole("status").filter({
      hasText:
        /^Submitted “Runbook and change documentation complete” — waiting on 1 approval from mid-level-or-above reviewers/,
    }),
  ).toBeFocused();
  await expect(
    page
      .getByRole("region", { name: /Runbook and change documentation complete/ })
      .getByText("Submitted", { exact: true }),
  ).toBeVisible();
});

test("withdrawing evidence asks first, says what it reopens, and needs a reason", async ({ page }) => {
  // Runs after the journey above has submitted the documentation milestone with one link.
  await page.goto(`/systems/${systemKey}#cp-documentation`);
  const region = page.getByRole("region", { name: /Runbook and change documentation complete/ });
  await region.getByRole("button", { name: "Withdraw Runbook, reviewed" }).click();
  const dialog = page.getByRole("dialog", { name: "Withdraw “Runbook, reviewed”?" });
  await expect(dialog).toContainText("approvals given in this round become stale");
  await expect(dialog).toContainText("only current evidence");
  // Escape changes nothing and gives the focus back.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(region.getByRole("button", { name: "Withdraw Runbook, reviewed" })).toBeFocused();
  await expect(region.getByText("Submitted", { exact: true })).toBeVisible();

  await region.getByRole("button", { name: "Withdraw Runbook, reviewed" }).click();
  await dialog.getByLabel(/Why are you withdrawing it/).fill("Linked the draft, not the reviewed copy");
  await dialog.getByRole("button", { name: "Withdraw evidence" }).click();
  await expect(
    page.getByRole("status").filter({
      hasText: /^Evidence withdrawn from “Runbook and change documentation complete”; it is now in progress/,
    }),
  ).toBeFocused();
  const reason = await withDb(async (client) => {
    const { rows } = await client.query<{ reason: string }>(
      `SELECT data->>'reason' AS reason FROM audit_event WHERE action = 'evidence.withdraw' AND system_key = $1 ORDER BY seq DESC LIMIT 1`,
      [systemKey],
    );
    return rows[0]?.reason;
  });
  expect(reason).toBe("Linked the draft, not the reviewed copy");
});

/** The elements of a table row that take a Tab stop. */
const rowStops = (page: Page) =>
  page
    .locator("table tbody tr")
    .evaluateAll((rows) =>
      rows.map(
        (row) =>
          row.querySelectorAll(
            'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])',
          ).length,
      ),
    );

test.describe("the registry from the keyboard", () => {
  test.use({ storageState: storageState("lead") });

  test("a lead's row takes two Tab stops (its checkbox, then its name), everyone else's one", async ({
    browser,
    page,
  }) => {
    await page.goto("/systems");
    const stops = await rowStops(page);
    expect(stops.length).toBeGreaterThan(0);
    expect(new Set(stops)).toEqual(new Set([2]));
    // Tab walks checkbox, name, next row's checkbox.
    const rows = page.locator("table tbody tr");
    await rows.nth(0).getByRole("checkbox").focus();
    await page.keyboard.press("Tab");
    await expect(rows.nth(0).getByRole("link").first()).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(rows.nth(1).getByRole("checkbox")).toBeFocused();

    const owner = await browser.newContext({ storageState: storageState("owner") });
    const ownerPage = await owner.newPage();
    await ownerPage.goto("/systems");
    expect(new Set(await rowStops(ownerPage))).toEqual(new Set([1]));
    await owner.close();
  });
});
