// My work as each demo role meets it: "Needs you now" holds only what the person can do, the
// navigation badge counts exactly that list, the owner's next step is one click away, and a lead
// has a queue (with a strip on the dashboard). Each role's page is photographed on a desktop and a
// 390-px phone.
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, storageState, type DemoRole } from "./fixtures";

async function needsYouNow(page: Page) {
  const section = page.getByRole("region", { name: /Needs you now/ });
  await expect(section).toBeVisible();
  return section.getByRole("listitem");
}

/** The badge on My work in the navigation: 0 when there is none. */
async function navCount(page: Page): Promise<number> {
  const link = page.getByRole("navigation").getByRole("link", { name: /^My work/ });
  const match = /(\d+)\s*waiting/.exec((await link.textContent()) ?? "");
  return match ? Number(match[1]) : 0;
}

for (const role of Object.keys(ACCOUNTS) as DemoRole[]) {
  test.describe(`My work as ${role}`, () => {
    test.use({ storageState: storageState(role) });

    test("counts in the navigation exactly the items that need them, each with its next step", async ({
      page,
    }, info) => {
      // The badge and the list are two reads of one page; a test running beside this one may act
      // as the same person between them (the keyboard journey withdraws the owner's evidence), so
      // a page that disagrees is loaded again, and only a lasting disagreement fails.
      let count = 0;
      const items = page.getByRole("region", { name: /Needs you now/ }).getByRole("listitem");
      await expect(async () => {
        await page.goto("/my-work");
        await expect(page.getByRole("heading", { name: "My work", level: 1 })).toBeVisible();
        await needsYouNow(page);
        count = await items.count();
        expect(await navCount(page)).toBe(count);
      }).toPass({ timeout: 20_000 });
      for (let i = 0; i < count; i += 1) {
        await expect(
          items.nth(i).getByRole("link", { name: /^(Review|Submit for review|Add evidence):/ }),
        ).toBeVisible();
      }
      if (role === "exec") expect(count).toBe(0);
      if (role === "owner" || role === "reviewer") expect(count).toBeGreaterThan(0);
      await page.screenshot({ path: info.outputPath(`my-work-${role}.png`), fullPage: true });
      // And on a 390-px phone: nothing wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.reload();
      await expect(page.getByRole("heading", { name: "My work", level: 1 })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: info.outputPath(`my-work-${role}-390.png`), fullPage: true });
    });
  });
}

test.describe("the owner's queue", () => {
  test.use({ storageState: storageState("owner") });

  test("shows what waits on others with who, keeps later work folded, and takes the next step to the checkpoint", async ({
    page,
  }) => {
    await page.goto("/my-work");
    await expect(page.getByRole("region", { name: /Waiting on others/ })).toBeVisible();
    const later = page.locator("details").filter({ has: page.getByText(/^Later/) });
    await expect(later).not.toHaveAttribute("open", "");
    const first = (await needsYouNow(page)).first();
    const action = first.getByRole("link", { name: /^(Review|Submit for review|Add evidence):/ });
    const href = await action.getAttribute("href");
    expect(href).toMatch(/^\/systems\/[a-z0-9-]+#cp-[a-z0-9-]+$/);
    await action.click();
    await expect(page).toHaveURL(new RegExp(`${href!.replace(/[#]/g, "\\#")}$`));
    await expect(page.getByRole("heading", { level: 3 }).first()).toBeVisible();
  });

  test("shows the reviewer's words on a checkpoint sent back", async ({ page }) => {
    await page.goto("/my-work");
    const sentBack = page.getByRole("region", { name: /Needs you now/ }).getByText(/asked for changes:/);
    // The demo seeds one checkpoint of the owner's with changes requested.
    await expect(sentBack.first()).toBeVisible();
  });
});

test.describe("the lead's queue", () => {
  test.use({ storageState: storageState("lead") });

  test("on My work lists what needs a lead, and the dashboard strip leads to the filtered registry", async ({
    page,
  }) => {
    test.slow();
    await page.goto("/my-work");
    const queue = page.getByRole("region", { name: "The lead's queue" });
    await expect(queue).toBeVisible();
    for (const name of [
      /No eligible reviewer/,
      /Reviews waiting longest/,
      /Overdue by team/,
      /Waivers expiring within 7 days/,
    ]) {
      await expect(queue.getByRole("heading", { name, level: 3 })).toBeVisible();
    }
    // The dashboard's strip counts without the lists (lib/data/lead-queue.ts): the same as here.
    const counts = await page.getByRole("navigation", { name: "The lead's queue" }).innerText();
    await page.goto("/dashboard");
    const strip = page.getByRole("navigation", { name: "The lead's queue" });
    await expect(strip).toBeVisible();
    expect(await strip.innerText()).toBe(counts);
    await strip.getByRole("link", { name: /Overdue checkpoints/ }).click();
    await expect(page).toHaveURL(/\/systems\?health=OVERDUE$/);
    // The registry streams behind its loading state; with the suite's other journeys running it can
    // take longer than expect's default to arrive.
    await expect(page.getByRole("heading", { name: "Systems", level: 1 })).toBeVisible({ timeout: 30_000 });
    await page.goto("/dashboard");
    await page
      .getByRole("navigation", { name: "The lead's queue" })
      .getByRole("link", { name: /No eligible reviewer/ })
      .click();
    await expect(page).toHaveURL(/flag=no-eligible-reviewer/);
    await expect(page.getByRole("link", { name: /Showing systems without an eligible reviewer/ })).toBeVisible();
  });
});

test.describe("a reviewer's change reviews", () => {
  test.use({ storageState: storageState("reviewer") });

  test("a change waiting on their approval is in Needs you now and opens the change", async ({ page }) => {
    await page.goto("/my-work");
    const review = (await needsYouNow(page)).getByRole("link", { name: /^Review: change “/ }).first();
    await expect(review).toBeVisible();
    const href = await review.getAttribute("href");
    expect(href).toMatch(/^\/changes\/[0-9a-f-]+$/);
    await review.click();
    await expect(page).toHaveURL(new RegExp(`${href}$`));
    await expect(page.getByRole("button", { name: /Approve/ }).first()).toBeVisible();
  });
});

test.describe("Program settings", () => {
  test.use({ storageState: storageState("lead") });

  test("shows each milestone's effective sign-off rules per tier and on AI-assisted systems", async ({
    page,
  }, info) => {
    await page.goto("/admin/program");
    const rules = page.getByRole("region", { name: "Effective sign-off rules" });
    await expect(rules).toBeVisible();
    await expect(rules.getByText(/^Tier 0: 2 approvals from (Mid|Senior) or above$/).first()).toBeVisible();
    await expect(rules.getByText(/AI-assisted: \d approvals? from Senior or above$/).first()).toBeVisible();
    await rules.screenshot({ path: info.outputPath("effective-rules.png") });
  });
});
