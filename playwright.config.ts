// End-to-end tests in the system's Chromium (docs/ARCHITECTURE.md, section 11): `npx playwright install`
// cannot download a browser here. `npm test` provides E2E_BASE_URL (a production server on a
// freshly seeded database), DATABASE_URL (that database) and CHROMIUM_PATH.
import { defineConfig, devices } from "@playwright/test";

const baseURL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3100";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [["list"]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Chromium's sandbox cannot start as root; the background services try to reach hosts this
      // machine cannot, which only slows every start.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // Signs each demo role in once through the real form and saves the session for the specs.
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["setup"] },
  ],
});
