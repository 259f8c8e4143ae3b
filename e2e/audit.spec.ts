// The audit log journey: a lead checks that the chain holds and looks up sign-ins; an executive
// reads it too, also over the API; an engineer has no way in.
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, storageState, tokenFor } from "./fixtures";

/** The text of one column of the events table, row by row. */
async function column(page: Page, index: number): Promise<string[]> {
  const rows = page
    .getByRole("table")
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((trs, i) => trs.map((tr) => (tr.children[i] as HTMLElement).innerText.trim()), index);
}

test.describe("a program lead", () => {
  test.use({ storageState: storageState("lead") });

  test("sees the chain verified and filters the log down to sign-ins", async ({ page }) => {
    await page.goto("/systems");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(/Chain verified · [\d,]+ events/);

    await page.getByLabel("Action").fill("auth.");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/\/audit\?.*action=auth\./);
    await expect(page.getByLabel("Action")).toHaveValue("auth.");
    const actions = await column(page, 3);
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^auth\.sign_in/);

    // The demo accounts signed in through the form before the specs ran.
    await page.getByLabel("Actor email").fill(ACCOUNTS.lead);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/actor=lead%40resetboard\.dev/);
    await expect(page.getByRole("table").getByRole("row").nth(1)).toContainText(ACCOUNTS.lead);
    expect(new Set(await column(page, 2))).toEqual(new Set([ACCOUNTS.lead]));
    expect(new Set(await column(page, 3))).toEqual(new Set(["auth.sign_in"]));

    await page.getByRole("link", { name: "Clear" }).click();
    await expect(page).toHaveURL(/\/audit$/);
  });

  test("pages back through older events and forward again", async ({ page }) => {
    await page.goto("/audit?system=no-such-system");
    await expect(page.getByRole("heading", { name: "No events match these filters" })).toBeVisible();

    await page.goto("/audit?action=review.approve");
    const newest = await column(page, 0);
    await page.getByRole("link", { name: "Older" }).click();
    await expect(page).toHaveURL(/before=\d+/);
    await expect(page.getByRole("table").getByRole("row").nth(1)).not.toContainText(newest[0]!);
    const older = await column(page, 0);
    expect(Number(older[0]!.slice(1))).toBeLessThan(Number(newest.at(-1)!.slice(1)));
    await page.getByRole("link", { name: "Newer" }).click();
    await expect(page).toHaveURL(/after=\d+/);
    await expect(page.getByRole("table").getByRole("row").nth(1)).toContainText(newest[0]!);
    expect(await column(page, 0)).toEqual(newest);
  });

  test("is told which filter cannot be read", async ({ page }) => {
    await page.goto("/audit?actor=not-an-email");
    await expect(page.getByRole("alert").filter({ hasText: "These filters cannot be read" })).toContainText(
      "actor: Enter a valid email address",
    );
    await expect(page.getByLabel("Actor email")).toHaveAttribute("aria-invalid", "true");
  });
});

test.describe("an executive", () => {
  test.use({ storageState: storageState("exec") });

  test("reads the audit log, and verifies the chain over the API", async ({ page, playwright, baseURL }) => {
    await page.goto("/audit");
    await expect(page.getByRole("status")).toContainText(/Chain verified/);

    const api = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${await tokenFor(ACCOUNTS.exec)}` },
    });
    const verify = await api.get("/api/v1/audit/verify");
    expect(verify.status()).toBe(200);
    expect(await verify.json()).toMatchObject({ ok: true, events: expect.any(Number) });
    const list = await api.get("/api/v1/audit?action=auth.&limit=2");
    expect(list.status()).toBe(200);
    const body = (await list.json()) as { events: { action: string }[]; next: string | null };
    expect(body.events).toHaveLength(2);
    expect(body.events.every((e) => e.action.startsWith("auth."))).toBe(true);
    await api.dispose();
  });
});

test.describe("an engineer", () => {
  test.use({ storageState: storageState("owner") });

  test("has no Audit link and is refused the page by address", async ({ page }) => {
    await page.goto("/systems");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Systems" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Audit" })).toHaveCount(0);
    const response = await page.goto("/audit");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  });
});
