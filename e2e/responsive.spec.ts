// Every page, as each role, on a 390-px phone and a desktop, in light and dark: nothing wider
// than the screen, no axe violations; and the printed report is two pages with no blank start.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { storageState, withDb, type DemoRole } from "./fixtures";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

let systemKey: string;
let changeId: string;
test.beforeAll(async () => {
  // A system the demo owner owns, so the owner's page has every form on it.
  systemKey = await withDb(async (client) => {
    const { rows } = await client.query<{ key: string }>(
      `SELECT s.key FROM system s JOIN assignment a ON a.system_id = s.id AND a.kind = 'OWNER'
         JOIN app_user u ON u.id = a.user_id AND u.email = 'owner@resetboard.dev' ORDER BY s.key LIMIT 1`,
    );
    return rows[0]!.key;
  });
  // The seeded change with the most reviews: the longest change page.
  changeId = await withDb(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `SELECT c.id FROM change c ORDER BY (SELECT count(*) FROM change_review r WHERE r.change_id = c.id) DESC, c.id LIMIT 1`,
    );
    return rows[0]!.id;
  });
});

const pagesFor = (role: DemoRole) => [
  "/dashboard",
  "/systems",
  "/my-work",
  "/report",
  "/settings",
  `/systems/${systemKey}`,
  "/changes",
  `/changes/${changeId}`,
  "/notifications",
  ...(role === "lead" || role === "exec" ? ["/audit"] : []),
  ...(role === "lead"
    ? [
        "/admin/users",
        "/admin/program",
        "/admin/notifications",
        "/admin/service-accounts",
        "/systems/new",
        "/systems/import",
        `/systems/${systemKey}/edit`,
      ]
    : []),
];

async function open(
  browser: Browser,
  role: DemoRole,
  viewport: { width: number; height: number },
  colorScheme: "light" | "dark" = "light",
): Promise<Page> {
  const context = await browser.newContext({ storageState: storageState(role), viewport, colorScheme });
  return context.newPage();
}

async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Where to look when a page is too wide: elements that stick out while their parent does not
    // (the outermost offenders), leaving out what a hidden or scrolling box clips.
    const clipped = (e: Element) => {
      for (let p = e.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (style.overflowX !== "visible" || style.clipPath !== "none") return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > width + 1);
    const culprits = wide
      .filter((e) => !wide.includes(e.parentElement!) && !clipped(e))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()} "${(e.textContent ?? "").trim().slice(0, 30)}"`);
    return { scrollWidth: document.documentElement.scrollWidth, width, culprits };
  });
}

for (const role of ["lead", "exec", "owner", "reviewer", "junior"] as const) {
  test(`no page is wider than a 390-px phone for ${role}`, async ({ browser }) => {
    // Up to eighteen full page loads: minutes on a shared machine.
    test.setTimeout(360_000);
    const page = await open(browser, role, PHONE);
    for (const path of pagesFor(role)) {
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      const { scrollWidth, width, culprits } = await overflow(page);
      expect(scrollWidth, `${path} is ${scrollWidth}px wide; ${culprits.join(", ")}`).toBeLessThanOrEqual(width);
    }
    // The navigation is a menu on a phone: every link is one tap away, none off-screen.
    await page.goto("/dashboard");
    const menu = page.getByRole("button", { name: /^Menu/ });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    for (const link of await page.getByRole("navigation", { name: "Main" }).getByRole("link").all()) {
      const box = await link.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
    }
  });
}

for (const [size, viewport] of [
  ["phone", PHONE],
  ["desktop", DESKTOP],
] as const) {
  for (const scheme of ["light", "dark"] as const) {
    test(`axe finds nothing on any page (${size}, ${scheme})`, async ({ browser }) => {
      // axe walks every node of long pages (hundreds of table cells): slow on a shared machine.
      test.setTimeout(600_000);
      for (const role of ["lead", "owner"] as const) {
        const page = await open(browser, role, viewport, scheme);
        for (const path of pagesFor(role).filter((p) => role === "lead" || p.startsWith("/systems/"))) {
          await page.goto(path);
          await expect(page.locator("main h1").first()).toBeVisible();
          const results = await new AxeBuilder({ page })
            .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
            .analyze();
          const where = (v: (typeof results.violations)[number]) =>
            v.nodes
              .slice(0, 3)
              .map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`)
              .join(" | ");
          expect(
            results.violations.map((v) => `${role} ${path}: ${v.id} (${v.nodes.length}) ${v.help} — ${where(v)}`),
          ).toEqual([]);
        }
        await page.context().close();
      }
    });
  }
}

test("the systems table fits 1280 px with its default columns, worst health first", async ({ browser }) => {
  const page = await open(browser, "lead", { width: 1280, height: 800 });
  await page.goto("/systems");
  const table = page.getByRole("table");
  await expect(table).toBeVisible();
  const fits = await table.evaluate((t) => t.scrollWidth <= (t.parentElement?.clientWidth ?? 0));
  expect(fits).toBe(true);
  await expect(page.getByRole("columnheader", { name: "Health" })).toHaveAttribute("aria-sort", "descending");
  const first = await page
    .getByRole("row")
    .nth(1)
    .getByText(/Overdue|At risk|On track|Done/)
    .first()
    .innerText();
  expect(first).toBe("Overdue");
  await expect(page.getByText(/and more waived/)).toBeVisible();
  // "Filters" says whether it is open.
  const filters = page.getByRole("button", { name: /^Filters/ });
  await expect(filters).toHaveAttribute("aria-expanded", "false");
  await filters.click();
  await expect(filters).toHaveAttribute("aria-expanded", "true");
});

/**
 * The size of what page 1 of a PDF draws (its content stream): a blank page draws next to
 * nothing, a page of tiles and a chart tens of kilobytes.
 */
function firstPageDrawing(pdf: string): number {
  const first = /\/Kids\s*\[\s*(\d+)\s+0\s+R/.exec(pdf)?.[1];
  const page = first ? new RegExp(`(^|\\s)${first} 0 obj\\s*<<([\\s\\S]*?)endobj`).exec(pdf)?.[2] : undefined;
  const contents = page ? /\/Contents\s+(\d+)\s+0\s+R/.exec(page)?.[1] : undefined;
  const length = contents
    ? new RegExp(`(^|\\s)${contents} 0 obj\\s*<<[^>]*?/Length\\s+(\\d+)`).exec(pdf)?.[2]
    : undefined;
  return Number(length ?? 0);
}

test("the printed report is two pages on A4 and on Letter, and its first page is not blank", async ({ browser }) => {
  const page = await open(browser, "exec", { width: 1280, height: 900 });
  await page.goto("/report");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  for (const format of ["A4", "Letter"] as const) {
    const pdf = (await page.pdf({ format, preferCSSPageSize: true, printBackground: true })).toString("latin1");
    // Each page of Chromium's PDF is one "/Type /Page" object.
    const pages = pdf.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
    expect(pages, format).toBe(2);
    expect(firstPageDrawing(pdf), `${format}: bytes drawn on page 1`).toBeGreaterThan(5_000);
  }
});
