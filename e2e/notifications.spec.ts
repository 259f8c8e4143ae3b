// An owner submits evidence and, within a minute, the reviewer who can sign it off finds it in
// GET /api/v1/notifications and on the bell; the reviewer reads it and marks it read.
import { expect, test } from "@playwright/test";
import { ACCOUNTS, storageState, tokenFor, withDb } from "./fixtures";

test.describe.configure({ mode: "serial" });

let systemKey: string;
const MILESTONE = "documentation";

test.beforeAll(async () => {
  // A system of the demo owner that the demo reviewer (SENIOR) reviews, not the one the workflow
  // spec uses (it takes the first by key), with the documentation checkpoint open to new evidence.
  systemKey = await withDb(async (client) => {
    const { rows } = await client.query<{ key: string; id: string }>(
      `SELECT s.key, s.id FROM system s
         JOIN assignment o ON o.system_id = s.id AND o.kind = 'OWNER'
         JOIN app_user u ON u.id = o.user_id AND u.email = $1
         JOIN checkpoint c ON c.system_id = s.id JOIN milestone m ON m.id = c.milestone_id AND m.key = $3
        WHERE c.status NOT IN ('WAIVED', 'SUBMITTED', 'APPROVED')
          AND NOT EXISTS (SELECT 1 FROM assignment a JOIN app_user x ON x.id = a.user_id WHERE a.system_id = s.id AND a.kind = 'OWNER' AND x.email = $2)
        ORDER BY s.key DESC LIMIT 1`,
      [ACCOUNTS.owner, ACCOUNTS.reviewer, MILESTONE],
    );
    const system = rows[0]!;
    await client.query(
      `INSERT INTO assignment (system_id, user_id, kind) SELECT $1, id, 'REVIEWER' FROM app_user WHERE email = $2 ON CONFLICT (system_id, user_id) DO NOTHING`,
      [system.id, ACCOUNTS.reviewer],
    );
    return system.key;
  });
});

test("the eligible reviewer is notified of a submission in the API and on the bell, and can mark it read", async ({
  browser,
  request,
}) => {
  const owner = { Authorization: `Bearer ${await tokenFor(ACCOUNTS.owner)}` };
  const reviewer = { Authorization: `Bearer ${await tokenFor(ACCOUNTS.reviewer)}` };
  const base = `/api/v1/systems/${systemKey}/checkpoints/${MILESTONE}`;

  const added = await request.post(`${base}/evidence`, {
    headers: owner,
    data: { url: "https://docs.example.com/runbook-e2e", title: "Runbook (e2e)", kind: "RUNBOOK" },
  });
  expect(added.status(), await added.text()).toBe(201);
  const { checkpoint } = (await added.json()) as { checkpoint: { version: number } };
  const submitted = await request.post(`${base}/submit`, { headers: owner, data: { version: checkpoint.version } });
  expect(submitted.status(), await submitted.text()).toBe(200);

  type Item = {
    id: string;
    event: string;
    systemKey: string;
    milestone: string;
    title: string;
    url: string;
    readAt: string | null;
  };
  let item: Item | undefined;
  await expect
    .poll(
      async () => {
        const response = await request.get("/api/v1/notifications?unread=true", { headers: reviewer });
        const body = (await response.json()) as { items: Item[] };
        item = body.items.find(
          (n) => n.systemKey === systemKey && n.milestone === MILESTONE && n.event === "EVIDENCE_SUBMITTED",
        );
        return item !== undefined;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  expect(item!.url).toBe(`/systems/${systemKey}#cp-${MILESTONE}`);
  expect(item!.readAt).toBeNull();

  const context = await browser.newContext({ storageState: storageState("reviewer") });
  const page = await context.newPage();
  await page.goto("/dashboard");
  const bell = page.getByRole("link", { name: /^Notifications, \d+ unread$/ });
  await expect(bell).toBeVisible();
  const before = Number(/(\d+) unread/.exec((await bell.getAttribute("aria-label")) ?? "")![1]);
  expect(before).toBeGreaterThanOrEqual(1);
  await bell.click();
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  const entry = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: item!.title }) })
    .first();
  await expect(entry).toBeVisible();
  await entry.getByRole("button", { name: /Mark .* read/ }).click();
  await expect
    .poll(async () => {
      const after = await request.get("/api/v1/notifications?unread=true", { headers: reviewer });
      return ((await after.json()) as { items: Item[] }).items.some((n) => n.id === item!.id);
    })
    .toBe(false);
  // Other journeys running at the same time may notify this reviewer too (a mention, a change to
  // approve): the bell must agree with the database's unread count, read again until both settle.
  await expect
    .poll(
      async () => {
        const { unread } = (await (
          await request.get("/api/v1/notifications?unread=true", { headers: reviewer })
        ).json()) as { unread: number };
        await page.reload();
        const label = await page.getByRole("link", { name: /^Notifications, / }).getAttribute("aria-label");
        return label === (unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await context.close();
});
