// The change gate as a team lives it: a MID engineer registers an AI-assisted change through the
// UI, the pipeline's `gate check` says blocked (exit 1), a SENIOR reviewer approves it on the
// change's page, and the same check now says allowed (exit 0).
import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { ACCOUNTS, storageState, withDb } from "./fixtures";

test.describe.configure({ mode: "serial" });
// `gate check` starts a CLI process, which takes a while on a loaded machine.
test.setTimeout(180_000);

let system: { key: string; name: string };

function gateCheck(changeId: string) {
  const result = spawnSync(
    "npx",
    ["--no-install", "tsx", "--conditions=react-server", "scripts/cli.ts", "gate", "check", changeId],
    {
      encoding: "utf8",
      env: { ...process.env },
    },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test.beforeAll(async () => {
  // A Tier 1/2 system the demo owner (MID) owns whose rollback milestone is done, so that one
  // SENIOR approval is what the gate needs; the demo reviewer (SENIOR) reviews it.
  system = await withDb(async (client) => {
    const candidates = (done: boolean) =>
      client.query<{ key: string; name: string; id: string; checkpoint: string; status: string }>(
        `SELECT s.key, s.name, s.id, c.id AS checkpoint, c.status FROM system s
           JOIN assignment o ON o.system_id = s.id AND o.kind = 'OWNER'
           JOIN app_user u ON u.id = o.user_id AND u.email = $1
           JOIN checkpoint c ON c.system_id = s.id JOIN milestone m ON m.id = c.milestone_id AND m.key = 'rollback'
          WHERE s.tier <> 'TIER_0' AND (c.status IN ('APPROVED', 'WAIVED')) = $3
            AND NOT EXISTS (SELECT 1 FROM assignment a JOIN app_user x ON x.id = a.user_id WHERE a.system_id = s.id AND a.kind = 'OWNER' AND x.email = $2)
          ORDER BY s.key DESC LIMIT 1`,
        [ACCOUNTS.owner, ACCOUNTS.reviewer, done],
      );
    let found = (await candidates(true)).rows[0];
    if (!found) {
      // Day 41 is early for the rollback milestone (due day 60): a lead waives it on one of the
      // owner's systems (the last by key, away from the workflow spec's first), as a lead would.
      found = (await candidates(false)).rows[0]!;
      await client.query(
        `INSERT INTO waiver (checkpoint_id, reason, granted_by_id, expires_on, prior_status)
         SELECT $1, 'Rollback drill scheduled with the platform team', id, (SELECT starts_on + duration_days - 1 FROM program WHERE active), $2::checkpoint_status
           FROM app_user WHERE email = $3`,
        [found.checkpoint, found.status, ACCOUNTS.lead],
      );
      await client.query(
        "UPDATE checkpoint SET status = 'WAIVED', completed_at = now(), version = version + 1 WHERE id = $1",
        [found.checkpoint],
      );
    }
    await client.query(
      "INSERT INTO assignment (system_id, user_id, kind) SELECT $1, id, 'REVIEWER' FROM app_user WHERE email = $2 ON CONFLICT (system_id, user_id) DO NOTHING",
      [found.id, ACCOUNTS.reviewer],
    );
    return { key: found.key, name: found.name };
  });
});

test("an AI-assisted change by a MID engineer is blocked until a SENIOR approves it, and the CLI gate flips from 1 to 0", async ({
  browser,
}) => {
  const author = await (await browser.newContext({ storageState: storageState("owner") })).newPage();
  await author.goto("/changes");
  await author.getByLabel("System", { exact: true }).selectOption(system.key);
  await author.getByLabel("Title").fill("Retry payouts on gateway timeouts (e2e)");
  await author.getByLabel("Pull request or change ticket").fill("https://git.example.com/payments/pull/4242");
  await author.getByLabel("Rollback plan").fill("https://wiki.example.com/payments/rollback");
  await author.getByLabel(/AI-assisted/).check();
  await author.getByRole("button", { name: "Register change" }).click();
  await expect(author.getByRole("status")).toHaveText("Change registered: blocked until it is reviewed.");
  await author.getByRole("link", { name: "Open the change" }).click();
  await expect(author.getByRole("heading", { name: "Gate decision: blocked" })).toBeVisible();
  await expect(
    author.getByText(
      "It is AI-assisted and its author is mid-level, so it needs an approval from a senior or principal reviewer.",
    ),
  ).toBeVisible();
  // The author is told why they cannot approve their own change.
  await expect(author.getByRole("note")).toHaveText("You wrote this change, so you cannot review it.");
  const changeId = author.url().split("/").at(-1)!;

  const blocked = gateCheck(changeId);
  expect(blocked.code, blocked.err).toBe(1);
  expect(blocked.out).toContain("BLOCKED");

  const reviewer = await (await browser.newContext({ storageState: storageState("reviewer") })).newPage();
  await reviewer.goto(`/changes/${changeId}`);
  await reviewer.getByRole("button", { name: "Approve change" }).click();
  // The page re-renders with the decision flipped; the review form gives way to the record.
  await expect(reviewer.getByRole("heading", { name: "Gate decision: allowed to ship" })).toBeVisible();
  await expect(reviewer.getByRole("region", { name: "Reviews" }).getByText("Approved by Rosa Martinez")).toBeVisible();
  await expect(reviewer.getByRole("note")).toHaveText("You have already reviewed this version of the change.");

  const allowed = gateCheck(changeId);
  expect(allowed.code, allowed.err).toBe(0);
  expect(allowed.out).toContain("ALLOWED");

  // The change shows on its system's page with its decision.
  await author.goto(`/systems/${system.key}`);
  await expect(
    author
      .getByRole("region", { name: "Production changes" })
      .getByRole("link", { name: "Retry payouts on gateway timeouts (e2e)" }),
  ).toBeVisible();
});
