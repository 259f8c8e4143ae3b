// A checkpoint's discussion in a real browser: the owner types "@", picks the reviewer from the
// suggestions with the keyboard, posts, and sees the comment at the end of the thread; the
// reviewer's notifications list the mention with a link to the checkpoint. The page passes axe.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { ACCOUNTS, storageState, tokenFor, withDb } from "./fixtures";

test.use({ storageState: storageState("owner") });

test("the owner mentions the reviewer with the keyboard, and the reviewer is notified", async ({ page, request }) => {
  test.slow();
  const { systemKey, reviewerName, MILESTONE } = await withDb(async (client) => {
    // A system of the demo owner that the demo reviewer reviews, and its first open checkpoint.
    const { rows } = await client.query<{ key: string; name: string; milestone: string }>(
      `SELECT s.key, r.name, m.key AS milestone FROM system s
         JOIN assignment o ON o.system_id = s.id AND o.kind = 'OWNER' JOIN app_user u ON u.id = o.user_id AND u.email = $1
         JOIN assignment a ON a.system_id = s.id AND a.kind = 'REVIEWER' JOIN app_user r ON r.id = a.user_id AND r.email = $2
         JOIN checkpoint c ON c.system_id = s.id JOIN milestone m ON m.id = c.milestone_id
        WHERE c.status NOT IN ('WAIVED', 'APPROVED') AND s.archived_at IS NULL
        ORDER BY s.key, m.sequence LIMIT 1`,
      [ACCOUNTS.owner, ACCOUNTS.reviewer],
    );
    return { systemKey: rows[0]!.key, reviewerName: rows[0]!.name, MILESTONE: rows[0]!.milestone };
  });

  await page.goto(`/systems/${systemKey}#cp-${MILESTONE}`);
  const section = page.locator(`#cp-${MILESTONE}`);
  const box = section.getByRole("textbox", { name: "Comment" });
  const listbox = section.getByRole("listbox", { name: "People to mention" });
  // Keys pressed before the page has hydrated reach a textarea that React then resets (the CI run
  // saw an empty box on a loaded machine): type again until the suggestions answer.
  await expect(async () => {
    await box.fill("");
    await box.click();
    await box.pressSequentially(`Before we submit, @${reviewerName.slice(0, 3)}`);
    await expect(listbox.getByRole("option", { name: reviewerName })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(box).toHaveAttribute("aria-activedescendant", /option/);
  // Move to the reviewer's option with the arrows (it need not be first), then pick it with Enter.
  const names = await listbox.getByRole("option").allTextContents();
  for (let i = 0; i < names.indexOf(reviewerName); i++) await box.press("ArrowDown");
  await expect(listbox.getByRole("option", { name: reviewerName })).toHaveAttribute("aria-selected", "true");
  await box.press("Enter");
  await expect(listbox).toBeHidden();
  await box.pressSequentially("can you look at the threat model?");
  const text = `Before we submit, @${reviewerName} can you look at the threat model?`;
  await expect(box).toHaveValue(text);
  await page.screenshot({ path: "test-results/discussion-typing.png", fullPage: false });
  await section.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByText(`Comment posted; ${reviewerName} was notified.`)).toBeVisible();
  const thread = section.getByRole("region", { name: /Discussion/ });
  await expect(thread.getByRole("listitem").last()).toContainText(text);
  await expect(box).toHaveValue("");
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/discussion-posted.png", fullPage: false });

  const results = await new AxeBuilder({ page }).include(`#cp-${MILESTONE}`).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  const reviewer = { Authorization: `Bearer ${await tokenFor(ACCOUNTS.reviewer)}` };
  const response = await request.get("/api/v1/notifications?unread=true", { headers: reviewer });
  const { items } = (await response.json()) as { items: { event: string; systemKey: string; url: string }[] };
  expect(items.find((n) => n.event === "MENTION" && n.systemKey === systemKey)?.url).toBe(
    `/systems/${systemKey}#cp-${MILESTONE}`,
  );
});
