// A lead's registry journey: create a system (a bad link is refused on its field), give it owners
// and reviewers, move a due date with a reason, and import the sample CSV (preview, then apply).
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { storageState, withDb } from "./fixtures";

test.describe.configure({ mode: "serial" });
test.use({ storageState: storageState("lead") });

const KEY = "e2e-admin-ledger";
const SAMPLE_KEYS = [
  "payments-chargeback-gateway",
  "identity-device-trust",
  "search-query-cache",
  "checkout-tax-engine",
  "fraud-velocity-rules",
];

// Leave the demo fleet as it was for the other specs (its count of systems among them).
test.afterAll(async () => {
  await withDb((client) => client.query("DELETE FROM system WHERE key = ANY($1)", [[KEY, ...SAMPLE_KEYS]]));
});

test("a lead creates a system, assigns people, overrides a due date and imports the sample CSV", async ({ page }) => {
  test.slow();
  await page.goto("/systems/new");
  await page.getByLabel(/^Key/).fill(KEY);
  await page.getByLabel("Name").fill("E2E Ledger");
  await page.getByLabel("Team").fill("Payments");
  await page.getByLabel("Tier").selectOption("TIER_0");
  await page.getByLabel(/^Repository URL/).fill("javascript:alert(1)");
  await page.getByRole("button", { name: "Create system" }).click();
  await expect(page.getByText("Only http:// and https:// links are accepted")).toBeVisible();
  // The refused save kept everything typed.
  await expect(page.getByLabel("Name")).toHaveValue("E2E Ledger");
  await page.getByLabel(/^Repository URL/).fill("https://git.example.com/payments/e2e-ledger");
  await page.getByRole("button", { name: "Create system" }).click();
  await expect(page).toHaveURL(new RegExp(`/systems/${KEY}$`));
  await expect(page.getByRole("heading", { level: 1, name: "E2E Ledger" })).toBeVisible();
  await expect(page.getByRole("region", { name: /Senior engineering sign-off/ })).toBeVisible();

  await page.getByRole("link", { name: "Edit system" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit E2E Ledger" })).toBeVisible();
  await page.getByLabel("Add an owner").selectOption("owner@resetboard.dev");
  await page.getByLabel("Add a reviewer").selectOption("reviewer@resetboard.dev");
  // Someone already owning the system is not offered as a reviewer.
  await expect(page.getByLabel("Add a reviewer").locator('option[value="owner@resetboard.dev"]')).toHaveCount(0);
  await page.getByRole("button", { name: "Save assignments" }).click();
  // Saved, possibly with a warning about milestones left without an eligible reviewer.
  await expect(page.getByText(/^Assignments saved/)).toBeVisible();

  // Removing someone is staged, and the save asks first: it says what the removal takes away and
  // records the reason given in the audit event.
  await page.getByRole("button", { name: /^Remove .* as reviewer$/ }).click();
  await expect(page.getByText("To be removed when you save:")).toBeVisible();
  await page.getByRole("button", { name: "Save assignments…" }).click();
  const dialog = page.getByRole("dialog", { name: /^Remove .* from this system\?$/ });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("will no longer review this system");
  await expect(dialog.getByLabel(/^Reason for the removal/)).toBeFocused();
  expect((await new AxeBuilder({ page }).include("dialog[open]").analyze()).violations).toEqual([]);
  // Confirming without a reason is refused in the dialog; nothing is saved.
  await dialog.getByRole("button", { name: "Remove and save" }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(/^Reason for the removal/).fill("Reviews move to the platform team");
  await dialog.getByRole("button", { name: "Remove and save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("To be removed when you save:")).toBeHidden();
  const event = await withDb(async (client) => {
    const { rows } = await client.query(
      "SELECT data FROM audit_event WHERE action = 'assignment.set' AND system_key = $1 ORDER BY seq DESC LIMIT 1",
      [KEY],
    );
    return rows[0]?.data as { reason?: string; removed?: unknown } | undefined;
  });
  expect(event?.reason).toBe("Reviews move to the platform team");
  expect(event?.removed).toEqual([{ email: "reviewer@resetboard.dev", kind: "REVIEWER" }]);
  await page.getByLabel("Description (optional)").fill("Reconciles the ledger nightly.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();

  await page.goto(`/systems/${KEY}`);
  await expect(page.getByText("Reconciles the ledger nightly.")).toBeVisible();
  const rollback = page.getByRole("region", { name: /Rollback plan tested/ });
  await rollback.getByText("Change the due date…").click();
  await rollback.getByLabel("New due date").fill("2027-01-15");
  await rollback.getByLabel("Reason for the change").fill("Vendor freeze until mid-January");
  await rollback.getByRole("button", { name: "Set due date" }).click();
  await expect(rollback.getByText(/Due date changed by .*: Vendor freeze until mid-January/)).toBeVisible();
  await expect(rollback.getByText(/Jan 15/)).toBeVisible();

  await page.goto("/systems/import");
  await page.getByLabel(/^CSV file/).setInputFiles(path.resolve("docs", "sample-systems.csv"));
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page
    .getByRole("list", { name: "What the import would do" })
    .or(page.getByLabel("What the import would do"));
  await expect(preview.getByText("To create")).toBeVisible();
  await expect(page.getByRole("heading", { name: /Preview of sample-systems\.csv: 5 rows/ })).toBeVisible();
  await page.getByRole("button", { name: "Apply 5 changes" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: /Imported: 5 created, 0 updated, 0 unchanged/ }),
  ).toBeVisible();
  await page.goto("/systems/payments-chargeback-gateway");
  await expect(page.getByRole("heading", { level: 1, name: "Chargeback Gateway" })).toBeVisible();
});
