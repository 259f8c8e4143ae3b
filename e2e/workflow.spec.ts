// The reset workflow as people live it: an owner adds evidence and submits, a junior reviewer
// is told why they cannot sign off, a senior reviewer approves, and a lead waives a checkpoint
// and revokes the waiver.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { ACCOUNTS, storageState, withDb, type DemoRole } from "./fixtures";

// One worker for this file: its set-up changes the chosen system, once.
test.describe.configure({ mode: "serial" });

let systemKey: string;

test.beforeAll(async () => {
  // A Tier 1/2 system the demo owner owns, with the demo reviewer and the junior as reviewers.
  systemKey = await withDb(async (client) => {
    const { rows } = await client.query<{ key: string; id: string }>(
      `SELECT s.key, s.id FROM system s
         JOIN assignment o ON o.system_id = s.id AND o.kind = 'OWNER'
         JOIN app_user u ON u.id = o.user_id AND u.email = $1
        WHERE s.tier <> 'TIER_0' AND NOT s.ai_assisted
          AND NOT EXISTS (SELECT 1 FROM assignment a JOIN app_user x ON x.id = a.user_id
                           WHERE a.system_id = s.id AND a.kind = 'OWNER' AND x.email IN ($2, $3))
        ORDER BY s.key LIMIT 1`,
      [ACCOUNTS.owner, ACCOUNTS.reviewer, ACCOUNTS.junior],
    );
    const system = rows[0]!;
    await client.query(
      `INSERT INTO assignment (system_id, user_id, kind)
       SELECT $1, id, 'REVIEWER' FROM app_user WHERE email IN ($2, $3)
       ON CONFLICT (system_id, user_id) DO NOTHING`,
      [system.id, ACCOUNTS.reviewer, ACCOUNTS.junior],
    );
    // Start the rollback milestone afresh so the journey begins at the beginning.
    await client.query(
      `UPDATE checkpoint c SET status = 'NOT_STARTED', completed_at = NULL, version = c.version + 1
         FROM milestone m WHERE m.id = c.milestone_id AND c.system_id = $1 AND m.key = 'rollback'
          AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.checkpoint_id = c.id)`,
      [system.id],
    );
    return system.key;
  });
});

async function open(browser: Browser, role: DemoRole): Promise<Page> {
  const context = await browser.newContext({ storageState: storageState(role) });
  const page = await context.newPage();
  await page.goto(`/systems/${systemKey}`);
  return page;
}

const milestone = (page: Page, name: string) => page.getByRole("region", { name: new RegExp(name) });

/** One figure of the dashboard's milestone chart, read from its data table. */
async function dashboardFigure(page: Page, milestoneName: string, column: "Approved" | "Waived"): Promise<number> {
  await page.goto("/dashboard");
  const chart = page.getByRole("region", { name: /^Milestones/ });
  await chart.getByText("Show the data as a table").click();
  const table = chart.getByRole("table");
  const headers = await table.getByRole("columnheader").allInnerTexts();
  const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: milestoneName, exact: true }) });
  const cells = await row.getByRole("cell").allInnerTexts();
  // The first header is the row header's column.
  return Number(cells[headers.indexOf(column) - 1]);
}

test("owner submits, a junior is refused in words, a senior approves, a lead waives and revokes", async ({
  browser,
}) => {
  // Five people's sessions and four dashboard reads: past the slow allowance on a shared machine.
  test.setTimeout(240_000);
  const dashboard = await open(browser, "exec");
  const approvedBefore = await dashboardFigure(dashboard, "Rollback plan tested", "Approved");
  const waivedBefore = await dashboardFigure(dashboard, "Runbook and change documentation complete", "Waived");
  const owner = await open(browser, "owner");
  const rollback = milestone(owner, "Rollback plan tested");
  await rollback.getByLabel("Link (https://…)").fill("https://runbooks.example.com/rollback-drill-2026-11");
  await rollback.getByLabel("Title").fill("Rollback drill, November");
  await rollback.getByLabel("Kind").selectOption("ROLLBACK_TEST");
  await rollback.getByRole("button", { name: "Add evidence" }).click();
  await expect(rollback.getByText("In progress", { exact: true })).toBeVisible();
  const link = rollback.getByRole("link", { name: /Rollback drill, November/ });
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer");
  await rollback.getByRole("button", { name: /Submit .* for review/ }).click();
  await expect(rollback.getByText("Submitted", { exact: true })).toBeVisible();
  // A success reads as one, says who it now waits on, and takes the focus.
  const confirmation = owner.getByRole("status").filter({
    hasText:
      /^Submitted “Rollback plan tested” — waiting on 1 approval from mid-level-or-above reviewers: .*Rosa Martinez/,
  });
  await expect(confirmation).toBeFocused();
  // The owner is not offered a sign-off, and is told why.
  await expect(rollback.getByRole("note")).toHaveText("You own this system, so you cannot sign it off.");

  const junior = await open(browser, "junior");
  const juniorView = milestone(junior, "Rollback plan tested");
  await expect(juniorView.getByRole("note")).toHaveText("This milestone needs a mid-level reviewer (or more senior).");
  await expect(juniorView.getByRole("button", { name: "Approve" })).toHaveCount(0);

  const reviewer = await open(browser, "reviewer");
  const review = milestone(reviewer, "Rollback plan tested");
  await review.getByRole("textbox", { name: /^Comment \(required/ }).fill("Drill evidence is clear and recent.");
  await review.getByRole("button", { name: "Approve" }).click();
  await expect(review.getByText("Approved", { exact: true }).first()).toBeVisible();
  await expect(
    reviewer.getByRole("status").filter({ hasText: "Approved — “Rollback plan tested” is done." }),
  ).toBeFocused();
  // A done milestone folds behind its summary line; its history is one click away.
  await expect(review.getByText(/Signed off by Rosa Martinez/)).toBeVisible();
  await review.getByText("Show details").click();
  await expect(review.getByText(/Approved by Rosa Martinez \(senior\)/)).toBeVisible();

  // Everyone sees it, the owner included, after a reload.
  await owner.reload();
  await expect(milestone(owner, "Rollback plan tested").getByText("Approved", { exact: true }).first()).toBeVisible();

  const lead = await open(browser, "lead");
  const docs = milestone(lead, "Runbook and change documentation complete");
  await docs.getByText("Waive this checkpoint…").click();
  await docs.getByLabel("Reason for the waiver").fill("System is decommissioned on Dec 15");
  await docs.getByLabel("Expires on").fill("2027-01-10");
  await docs.getByRole("button", { name: "Waive" }).click();
  await expect(docs.getByText("Waived", { exact: true })).toBeVisible();
  await docs.getByText("Show details").click();
  await expect(docs.getByText(/Waived by Priya Raman until/)).toBeVisible();

  // The dashboard counts the approval and, apart from it, the waiver.
  expect(await dashboardFigure(dashboard, "Rollback plan tested", "Approved")).toBe(approvedBefore + 1);
  expect(await dashboardFigure(dashboard, "Runbook and change documentation complete", "Waived")).toBe(
    waivedBefore + 1,
  );

  // The owner sees the waiver but is not offered to revoke it.
  await owner.reload();
  const ownerDocs = milestone(owner, "Runbook and change documentation complete");
  await ownerDocs.getByText("Show details").click();
  await expect(ownerDocs.getByText(/Waived by Priya Raman until/)).toBeVisible();
  await expect(ownerDocs.getByText("Revoke waiver…")).toHaveCount(0);

  // The lead changes their mind: the waiver is revoked, after a confirmation that says what
  // follows, with a reason, and the checkpoint is back where it was (rule 8), waivable again.
  await docs.getByRole("button", { name: "Revoke the waiver of Runbook and change documentation complete" }).click();
  const confirm = lead.getByRole("dialog", {
    name: /Revoke the waiver of “Runbook and change documentation complete”\?/,
  });
  await expect(confirm).toContainText("returns to the state it was in before the waiver");
  await confirm.getByLabel(/Reason for revoking/).fill("Decommissioning postponed to Q2");
  await confirm.getByRole("button", { name: "Revoke waiver", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(docs.getByText(/Waived by Priya Raman until/)).toHaveCount(0);
  await expect(docs.getByText("Waived", { exact: true })).toHaveCount(0);
  await expect(docs.getByText("Waive this checkpoint…")).toBeVisible();
  expect(await dashboardFigure(dashboard, "Runbook and change documentation complete", "Waived")).toBe(waivedBefore);
});

test("an unknown system is a 404 page, and My work counts what waits on you", async ({ browser }) => {
  const reviewer = await open(browser, "reviewer");
  const response = await reviewer.goto("/systems/no-such-system");
  expect(response?.status()).toBe(404);
  await reviewer.goto("/my-work");
  await expect(reviewer.getByRole("heading", { name: "My work", level: 1 })).toBeVisible();
  // The demo reviewer has submissions waiting (the seed guarantees it); the badge says how many.
  const summary = await reviewer.getByText(/^\d+ items? needs? you now\.$/).innerText();
  const waiting = Number(/^(\d+)/.exec(summary)?.[1]);
  expect(waiting).toBeGreaterThan(0);
  const badge = reviewer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /My work/ });
  await expect(badge).toContainText(`${waiting} waiting`);
  const queue = reviewer.getByRole("region", { name: /Needs you now/ });
  await expect(queue.getByRole("link").first()).toBeVisible();
});
