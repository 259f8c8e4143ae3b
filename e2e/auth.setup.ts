import { expect, test as setup } from "@playwright/test";
import { ACCOUNTS, DEMO_PASSWORD, storageState, type DemoRole } from "./fixtures";

for (const [role, email] of Object.entries(ACCOUNTS) as [DemoRole, string][]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    // The first pages after the server starts are its coldest (empty caches, the roll-up read for
    // the first time); on a busy machine the landing page can take well over expect's 10 s.
    setup.setTimeout(120_000);
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible({ timeout: 60_000 });
    await page.context().storageState({ path: storageState(role) });
  });
}
