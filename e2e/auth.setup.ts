import { expect, test as setup } from "@playwright/test";
import { ACCOUNTS, DEMO_PASSWORD, storageState, type DemoRole } from "./fixtures";

for (const [role, email] of Object.entries(ACCOUNTS) as [DemoRole, string][]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.context().storageState({ path: storageState(role) });
  });
}
