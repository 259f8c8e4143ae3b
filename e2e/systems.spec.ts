// The systems registry as a program lead first meets it: every demo system, from Postgres.
import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures";

test.use({ storageState: storageState("lead") });

// Other specs running alongside create systems (a new one, the sample import) and remove them
// again, so the total is the demo's 335 plus whatever they hold at that moment.
const pageOf = (range: string) => new RegExp(`${range} of (33[5-9]|3[4-9]\\d) systems`);

test("the systems page lists the demo program's 335 systems, 50 to a page", async ({ page }) => {
  await page.goto("/systems");
  await expect(page.getByRole("heading", { name: "Systems", level: 1 })).toBeVisible();
  await expect(page.getByText(pageOf("1–50"))).toBeVisible();
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(51); // header + 50

  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(pageOf("51–100"))).toBeVisible();
});

test("the top bar shows the program and today's program day", async ({ page }) => {
  await page.goto("/systems");
  await expect(page.getByRole("banner")).toContainText(/Day \d+ of 90/);
});

test("search narrows the list and says when nothing matches", async ({ page }) => {
  test.slow();
  await page.goto("/systems");
  const firstName = await page.getByRole("table").getByRole("row").nth(1).getByRole("link").first().innerText();
  await page.getByRole("searchbox", { name: "Search systems" }).fill(firstName);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByRole("table").getByRole("row").nth(1)).toContainText(firstName);

  await page.getByRole("searchbox", { name: "Search systems" }).fill("no-such-system-anywhere");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByRole("heading", { name: "No systems match these filters" })).toBeVisible();
  await page.getByRole("link", { name: "clear filters" }).last().click();
  await expect(page.getByText(pageOf("1–50"))).toBeVisible();
});

test("health answers ok with the database up, signed in or not", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const response = await anonymous.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", db: "ok" });
  await anonymous.dispose();
});
