// Each demo role signs in through the real form and sees what its role should see.
import { expect, test } from "@playwright/test";
import { ACCOUNTS, DEMO_PASSWORD, storageState } from "./fixtures";

test.describe("signed out", () => {
  test("a page sends you to sign in and brings you back afterwards", async ({ page }) => {
    await page.goto("/systems?q=payments");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
    await page.getByLabel("Email").fill(ACCOUNTS.owner);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/systems\?q=payments$/);
    await expect(page.getByRole("searchbox", { name: "Search systems" })).toHaveValue("payments");
  });

  test("a wrong password is refused with a readable message", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(ACCOUNTS.reviewer);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "Wrong email or password, or the account is deactivated." }),
    ).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a sign-in link cannot send you to another site", async ({ page }) => {
    await page.goto("/signin?callbackUrl=//evil.example/phish");
    await page.getByLabel("Email").fill(ACCOUNTS.exec);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
  });
});

test.describe("a program lead", () => {
  test.use({ storageState: storageState("lead") });

  test("sees their role in the user menu and the Admin section", async ({ page }) => {
    await page.goto("/systems");
    await page.getByRole("button", { name: /^Account menu for / }).click();
    await expect(page.locator("#user-menu")).toContainText("lead@resetboard.dev");
    await expect(page.locator("#user-menu")).toContainText("Program lead · Principal");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
    await page.getByLabel("Search people").fill("owner@resetboard.dev");
    await expect(page.getByRole("cell", { name: /owner@resetboard\.dev/ })).toBeVisible();
  });
});

for (const role of ["owner", "exec"] as const) {
  test.describe(`${role === "exec" ? "an executive" : "an engineer"}`, () => {
    test.use({ storageState: storageState(role) });

    test("sees the systems but no Admin section, and is refused it by address", async ({ page }) => {
      await page.goto("/systems");
      await expect(page.getByRole("heading", { name: "Systems", level: 1 })).toBeVisible();
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
      const response = await page.goto("/admin/users");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
      await expect(page.getByText(role === "exec" ? /Executive, Senior/ : /Engineer, Mid/)).toBeVisible();
    });
  });
}

test.describe("signing out", () => {
  test("ends the session", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(ACCOUNTS.junior);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("button", { name: /^Account menu for / }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/systems");
    await expect(page).toHaveURL(/\/signin/);
    await context.close();
  });
});
