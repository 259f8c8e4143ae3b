// Single sign-on end to end against a real OpenID provider running locally (see scripts/test.ts).
import { expect, test, type Page } from "@playwright/test";
import { withDb } from "./fixtures";

async function signInWithSso(page: Page, login: string) {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
  // The provider's own pages: its login form, then its consent screen.
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  const consent = page.getByRole("button", { name: "Continue" });
  if (await consent.isVisible().catch(() => false)) await consent.click();
}

test("an existing user signs in through the provider and is matched by email", async ({ page }) => {
  await signInWithSso(page, "owner");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Account menu for Sam Okafor" })).toBeVisible(); // our account, not the provider's "Owner (SSO)"
});

test("a person from an allowed domain gets an account on first sign-in", async ({ page }) => {
  await signInWithSso(page, "newcomer");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Account menu for Nia Newcomer" })).toContainText("Engineer · Mid");
  const actions = await withDb(async (client) => {
    const { rows } = await client.query<{ action: string }>(
      "SELECT action FROM audit_event WHERE actor_email = 'newcomer@sso.example' ORDER BY seq",
    );
    return rows.map((r) => r.action);
  });
  expect(actions).toEqual(["user.create", "auth.sign_in"]);
});

test("a person without an account from another domain is refused with a clear message", async ({ page }) => {
  await signInWithSso(page, "outsider");
  await expect(page).toHaveURL(/\/signin\?error=NoAccount/);
  await expect(page.getByRole("alert").filter({ hasText: "has no Resetboard access" })).toBeVisible();
});
