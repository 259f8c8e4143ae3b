// Notifications end to end against a real Postgres, a real SMTP server (smtp-server) and a real
// HTTP receiver: the workflow commands write the outbox in their own transaction, only people
// who can act are notified, workers deliver each row exactly once (also two at a time, and across
// a restart), refused mail is retried with backoff, and a dead webhook ends FAILED. The weekly
// executive summary goes out once per week on the program's clock, with an audit anchor that
// verifies, and every mail's one-click unsubscribe link turns its event's e-mail off.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

interface Mail {
  raw: string;
  to: string[];
  messageId: string;
}

const mails: Mail[] = [];
/** Message-IDs to refuse (with a temporary 451) this many more times. */
const refuse = new Map<string, number>();
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const raw = chunks.join("");
      const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? "";
      const left = refuse.get(messageId) ?? 0;
      if (left > 0) {
        refuse.set(messageId, left - 1);
        callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
        return;
      }
      mails.push({ raw, to: session.envelope.rcptTo.map((r) => r.address), messageId });
      callback();
    });
  },
});

interface Hook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const hooks: Hook[] = [];
const receiver = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    hooks.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
    response.statusCode = request.url === "/broken" ? 500 : 200;
    response.end("ok");
  });
});

let database: AppTestDatabase;
let client: pg.Client;
let hookBase: string;
const SECRET = "a-webhook-secret-of-32-characters!";
const ANCHOR_KEY = "an-audit-anchor-key-of-32-characters-or-more";

/** The message body with quoted-printable soft breaks and escapes undone, so links can be read. */
function decodedBody(raw: string): string {
  const body = raw.slice(raw.indexOf("\r\n\r\n"));
  const bytes = body
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** One header, unfolded, with RFC 2047 encoded words (=?UTF-8?Q?…?=) decoded. */
function header(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  const line = head.split("\r\n").find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (!line) return undefined;
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) =>
      Buffer.from(
        q.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1",
      ).toString("utf8"),
    );
}

async function one<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T> {
  return (await client.query<T>(sql, params)).rows[0]!;
}

async function actorFor(email: string): Promise<Actor & { kind: "user" }> {
  const u = await one<{
    id: string;
    email: string;
    role: "LEAD" | "ENGINEER" | "EXECUTIVE";
    seniority: "JUNIOR" | "MID" | "SENIOR" | "PRINCIPAL";
  }>("SELECT id, email, role, seniority FROM app_user WHERE email = $1", [email]);
  return { kind: "user", ...u };
}

async function workerWithOwnPool(
  options: { backoffMs?: (n: number) => number; pollMs?: number; batchSize?: number } = {},
) {
  const { DeliveryWorker } = await import("@/lib/notifications/worker");
  const { createChannels } = await import("@/lib/notifications/channels");
  const pool = new pg.Pool({ connectionString: database.url, max: 3 });
  const channels = createChannels({
    smtpUrl: process.env.SMTP_URL!,
    mailFrom: "Resetboard <noreply@resetboard.test>",
    allowPrivateWebhooks: true,
    timeoutMs: 5_000,
  });
  const worker = new DeliveryWorker({
    pool,
    channels,
    pollMs: options.pollMs ?? 50,
    batchSize: options.batchSize ?? 10,
    backoffMs: options.backoffMs ?? (() => 20),
  });
  return {
    worker,
    async close() {
      await worker.stop();
      channels.close();
      await pool.end();
    },
  };
}

async function until(condition: () => Promise<boolean>, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the outbox");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Puts `count` e-mail deliveries straight into the outbox, as the commands would. */
async function queueMails(count: number, tag: string, recipient: string): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `WITH n AS (
       INSERT INTO notification (recipient_id, event, dedup_key, title, url)
       SELECT $1, 'AT_RISK', $2 || ':' || g, 'Load ' || g, '/systems/x#cp-y' FROM generate_series(1, $3) g
       RETURNING id, title)
     INSERT INTO notification_delivery (notification_id, channel, dedup_key, payload, updated_at)
     SELECT n.id, 'EMAIL', 'email|' || n.id,
            jsonb_build_object('to', 'load@resetboard.test', 'subject', n.title, 'text', 'x', 'html', '<p>x</p>', 'link', 'http://x', 'unsubscribe', 'http://x/settings'), now()
       FROM n RETURNING id`,
    [recipient, tag, count],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  // Set before the app reads its environment (lib/env.ts validates it once).
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.NEXTAUTH_URL = "http://resetboard.test";
  // Signs the one-click unsubscribe tokens and the weekly summary's audit anchor.
  process.env.NEXTAUTH_SECRET = "a-session-secret-of-at-least-32-characters";
  process.env.AUDIT_ANCHOR_KEY = ANCHOR_KEY;
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  database = await createAppTestDatabase();
  client = database.client;
}, 120_000);

afterAll(async () => {
  await database?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(() => {
  mails.length = 0;
  hooks.length = 0;
});

describe("a submission notifies the reviewers who can sign it off", () => {
  let systemKey: string;
  let team: string;

  beforeAll(async () => {
    // A Tier 1 system of the demo owner, reviewed by a SENIOR (can sign off the MID milestone) and
    // a JUNIOR (refused for seniority, so never nudged).
    const system = await one<{ id: string; key: string; team: string }>(
      `SELECT s.id, s.key, s.team FROM system s JOIN assignment a ON a.system_id = s.id AND a.kind = 'OWNER'
         JOIN app_user u ON u.id = a.user_id AND u.email = 'owner@resetboard.dev' ORDER BY s.key LIMIT 1`,
    );
    systemKey = system.key;
    team = system.team;
    // The demo seed's own notifications would blur what this test counts.
    await client.query("DELETE FROM notification");
    await client.query("UPDATE system SET tier = 'TIER_1', ai_assisted = false WHERE id = $1", [system.id]);
    await client.query("DELETE FROM assignment WHERE system_id = $1 AND kind = 'REVIEWER'", [system.id]);
    await client.query(
      `INSERT INTO assignment (system_id, user_id, kind) SELECT $1, id, 'REVIEWER' FROM app_user WHERE email IN ('reviewer@resetboard.dev', 'junior@resetboard.dev')`,
      [system.id],
    );
    // A fresh round for the rollback milestone (MID), whatever the seed left there.
    await client.query(
      `UPDATE checkpoint c SET status = 'IN_PROGRESS', completed_at = NULL FROM milestone m WHERE m.id = c.milestone_id AND c.system_id = $1 AND m.key = 'rollback'`,
      [system.id],
    );
    await client.query(
      `INSERT INTO team_webhook (team, format, url, secret, updated_at) VALUES ($1, 'GENERIC', $2, $3, now()), ($1, 'SLACK', $4, NULL, now())`,
      [team, `${hookBase}/generic`, SECRET, `${hookBase}/slack`],
    );
  });

  it("writes the outbox with the submission, and the mail, the webhooks and the in-app centre carry it", async () => {
    const { addEvidence } = await import("@/lib/data/checkpoints/evidence");
    const { submitCheckpoint } = await import("@/lib/data/checkpoints/submit");
    const { getSystemDetail } = await import("@/lib/data/checkpoints/system-detail");
    const { listNotifications } = await import("@/lib/data/notifications");
    const owner = await actorFor("owner@resetboard.dev");
    const reviewer = await actorFor("reviewer@resetboard.dev");
    const junior = await actorFor("junior@resetboard.dev");
    await addEvidence(owner, systemKey, "rollback", {
      url: "https://runbooks.example.com/rollback-drill",
      title: "Rollback drill",
      kind: "ROLLBACK_TEST",
    });
    const version = (await getSystemDetail(owner, systemKey)).checkpoints.find(
      (c) => c.milestone === "rollback",
    )!.version;

    // A refused submission (stale version) rolls back, notifications included.
    await expect(submitCheckpoint(owner, systemKey, "rollback", { version: version - 1 })).rejects.toThrow(/changed/);
    expect(
      (await listNotifications(reviewer, { unread: "true" })).items.filter((n) => n.systemKey === systemKey),
    ).toEqual([]);

    await submitCheckpoint(owner, systemKey, "rollback", { version });
    const inbox = await listNotifications(reviewer, { unread: "true" });
    const mine = inbox.items.filter((n) => n.systemKey === systemKey);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      event: "EVIDENCE_SUBMITTED",
      milestone: "rollback",
      url: `/systems/${systemKey}#cp-rollback`,
      readAt: null,
    });
    expect(mine[0]!.title).toMatch(/^Review requested: /);
    expect((await listNotifications(junior, {})).items.filter((n) => n.systemKey === systemKey)).toEqual([]);
    expect((await listNotifications(owner, {})).items.filter((n) => n.systemKey === systemKey)).toEqual([]);

    const { worker, close } = await workerWithOwnPool();
    try {
      await worker.runOnce();
    } finally {
      await close();
    }
    const mail = mails.find((m) => m.to.includes("reviewer@resetboard.dev"));
    expect(mails.map((m) => m.to).flat()).toEqual(["reviewer@resetboard.dev"]);
    expect(header(mail!.raw, "Subject")).toBe(mine[0]!.title);
    // RFC 8058: the one-click URL first (a POST, says List-Unsubscribe-Post), then the settings page.
    expect(header(mail!.raw, "List-Unsubscribe")).toMatch(
      /^<http:\/\/resetboard\.test\/api\/v1\/notifications\/unsubscribe\?token=[^>\s]+>, <http:\/\/resetboard\.test\/settings#notifications>$/,
    );
    expect(header(mail!.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const text = decodedBody(mail!.raw);
    expect(text).toContain(`Open the checkpoint: http://resetboard.test/systems/${systemKey}#cp-rollback`);
    expect(text).toContain(`<a href="http://resetboard.test/systems/${systemKey}#cp-rollback">`);
    expect(text).toMatch(/Content-Type: text\/plain/);
    expect(text).toMatch(/Content-Type: text\/html/);

    const generic = hooks.find((h) => h.path === "/generic")!;
    expect(generic.headers["x-resetboard-signature"]).toBe(
      `sha256=${createHmac("sha256", SECRET).update(generic.body).digest("hex")}`,
    );
    expect(JSON.parse(generic.body)).toMatchObject({
      event: "EVIDENCE_SUBMITTED",
      systemKey,
      milestone: "rollback",
      url: `http://resetboard.test/systems/${systemKey}#cp-rollback`,
    });
    const slack = hooks.find((h) => h.path === "/slack")!;
    expect(slack.headers["x-resetboard-signature"]).toBeUndefined();
    expect(JSON.parse(slack.body).text).toContain(`/systems/${systemKey}#cp-rollback`);
    expect(hooks).toHaveLength(2);
  });

  it("tells the owners when the reviewer signs off, and not the reviewer", async () => {
    const { reviewCheckpoint } = await import("@/lib/data/checkpoints/review");
    const { getSystemDetail } = await import("@/lib/data/checkpoints/system-detail");
    const { listNotifications, markNotificationsRead } = await import("@/lib/data/notifications");
    const owner = await actorFor("owner@resetboard.dev");
    const reviewer = await actorFor("reviewer@resetboard.dev");
    const version = (await getSystemDetail(reviewer, systemKey)).checkpoints.find(
      (c) => c.milestone === "rollback",
    )!.version;
    await reviewCheckpoint(reviewer, systemKey, "rollback", {
      decision: "APPROVE",
      comment: "Drill looks good",
      version,
    });
    const ownerInbox = (await listNotifications(owner, { unread: "true" })).items.filter(
      (n) => n.systemKey === systemKey,
    );
    expect(ownerInbox.map((n) => n.event)).toEqual(["QUORUM_REACHED"]);
    expect(
      (await listNotifications(reviewer, {})).items.filter((n) => n.systemKey === systemKey).map((n) => n.event),
    ).toEqual(["EVIDENCE_SUBMITTED"]);

    // Marking read is scoped to the caller: the reviewer cannot mark the owner's notification.
    expect(await markNotificationsRead(reviewer, { ids: [ownerInbox[0]!.id] })).toMatchObject({ updated: 0 });
    const before = (await listNotifications(owner, { unread: "true" })).unread;
    expect(await markNotificationsRead(owner, { ids: [ownerInbox[0]!.id] })).toEqual({
      updated: 1,
      unread: before - 1,
    });
    expect((await listNotifications(owner, { unread: "true" })).items.some((n) => n.id === ownerInbox[0]!.id)).toBe(
      false,
    );
    expect(await markNotificationsRead(owner, { all: true })).toMatchObject({ unread: 0 });
    await expect(markNotificationsRead(owner, { ids: ["not-a-uuid"] })).rejects.toThrow(/notification id/);
  });
});

describe("delivery", () => {
  let recipient: string;
  beforeAll(async () => {
    recipient = (await one<{ id: string }>("SELECT id FROM app_user WHERE email = 'lead@resetboard.dev'")).id;
  });

  it("two workers with their own pools deliver each of 300 notifications exactly once", async () => {
    const ids = await queueMails(300, "pair", recipient);
    const a = await workerWithOwnPool();
    const b = await workerWithOwnPool();
    a.worker.start();
    b.worker.start();
    try {
      await until(
        async () =>
          (
            await one<{ n: string }>(
              "SELECT count(*) AS n FROM notification_delivery WHERE id = ANY($1) AND status = 'SENT'",
              [ids],
            )
          ).n === "300",
      );
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    // Only this batch: mail the earlier workflow test queued for the owner may go out meanwhile.
    const expected = new Set(ids.map((id) => `<${id}@resetboard>`));
    const delivered = mails.map((m) => m.messageId).filter((id) => expected.has(id));
    expect(delivered).toHaveLength(300);
    expect(new Set(delivered).size).toBe(300);
    expect(new Set(delivered)).toEqual(expected);
    const attempts = await one<{ total: string; ok: string }>(
      "SELECT count(*) AS total, count(*) FILTER (WHERE ok) AS ok FROM delivery_attempt WHERE delivery_id = ANY($1)",
      [ids],
    );
    expect(attempts).toEqual({ total: "300", ok: "300" });
  });

  it("a restart mid-queue loses nothing and sends nothing twice", async () => {
    const ids = await queueMails(200, "restart", recipient);
    const first = await workerWithOwnPool({ batchSize: 5 });
    first.worker.start();
    await until(async () => mails.length >= 40);
    await first.close();
    const sentBefore = Number(
      (
        await one<{ n: string }>(
          "SELECT count(*) AS n FROM notification_delivery WHERE id = ANY($1) AND status = 'SENT'",
          [ids],
        )
      ).n,
    );
    expect(sentBefore).toBeLessThan(200);
    expect(sentBefore).toBe(mails.length);
    const second = await workerWithOwnPool();
    second.worker.start();
    try {
      await until(
        async () =>
          (
            await one<{ n: string }>(
              "SELECT count(*) AS n FROM notification_delivery WHERE id = ANY($1) AND status = 'SENT'",
              [ids],
            )
          ).n === "200",
      );
    } finally {
      await second.close();
    }
    expect(mails).toHaveLength(200);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(200);
  });

  it("an SMTP server that refuses twice gets the message on the third attempt, and the outbox shows the attempts", async () => {
    const [id] = await queueMails(1, "refused", recipient);
    refuse.set(`<${id}@resetboard>`, 2);
    const { worker, close } = await workerWithOwnPool({ backoffMs: () => 30 });
    worker.start();
    try {
      await until(
        async () =>
          (await one<{ status: string }>("SELECT status FROM notification_delivery WHERE id = $1", [id])).status ===
          "SENT",
      );
    } finally {
      await close();
    }
    expect(mails.map((m) => m.messageId)).toEqual([`<${id}@resetboard>`]);
    expect(await one("SELECT status, attempts, last_error FROM notification_delivery WHERE id = $1", [id])).toEqual({
      status: "SENT",
      attempts: 3,
      last_error: null,
    });
    const log = await client.query<{ number: number; ok: boolean; error: string | null }>(
      "SELECT number, ok, error FROM delivery_attempt WHERE delivery_id = $1 ORDER BY number",
      [id],
    );
    expect(log.rows.map((r) => [r.number, r.ok])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(log.rows[0]!.error).toMatch(/451|try again later/i);
  });

  it("a permanently failing webhook ends FAILED after its attempts and is not retried again", async () => {
    const webhook = await one<{ id: string }>(
      "INSERT INTO team_webhook (team, format, url, updated_at) VALUES ('Broken Team', 'SLACK', $1, now()) RETURNING id",
      [`${hookBase}/broken`],
    );
    const delivery = await one<{ id: string }>(
      `INSERT INTO notification_delivery (webhook_id, channel, dedup_key, payload, max_attempts, updated_at)
       VALUES ($1, 'WEBHOOK', 'webhook|broken', '{"body":{"text":"hello"}}', 3, now()) RETURNING id`,
      [webhook.id],
    );
    const { worker, close } = await workerWithOwnPool({ backoffMs: () => 20 });
    worker.start();
    try {
      await until(
        async () =>
          (await one<{ status: string }>("SELECT status FROM notification_delivery WHERE id = $1", [delivery.id]))
            .status === "FAILED",
      );
      // Give it time to (wrongly) try again.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await close();
    }
    expect(hooks.filter((h) => h.path === "/broken")).toHaveLength(3);
    expect(
      await one("SELECT status, attempts, last_error FROM notification_delivery WHERE id = $1", [delivery.id]),
    ).toEqual({
      status: "FAILED",
      attempts: 3,
      last_error: "The webhook answered 500 Internal Server Error",
    });
  });
});

describe("scheduled nudges", () => {
  it("notify owners of at-risk and overdue checkpoints once, however often the sweep runs", async () => {
    const { sweepScheduledNotifications } = await import("@/lib/notifications/sweep");
    const { db } = await import("@/lib/db");
    const now = new Date("2026-11-27T12:00:00Z");
    const first = await sweepScheduledNotifications(db(), now);
    expect(first).toBeGreaterThan(0);
    // Again, and twice at once as two instances would: nothing new.
    const again = await Promise.all([sweepScheduledNotifications(db(), now), sweepScheduledNotifications(db(), now)]);
    expect(again).toEqual([0, 0]);
    // Every overdue nudge went to an owner of that checkpoint's system.
    const wrong = await one<{ n: string }>(
      `SELECT count(*) AS n FROM notification n JOIN system s ON s.key = n.system_key
        WHERE n.event IN ('AT_RISK', 'OVERDUE')
          AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.system_id = s.id AND a.user_id = n.recipient_id AND a.kind = 'OWNER')`,
    );
    expect(wrong.n).toBe("0");
    const escalations = await one<{ n: string }>(
      "SELECT count(*) AS n FROM notification n JOIN app_user u ON u.id = n.recipient_id WHERE n.event = 'OVERDUE_ESCALATION' AND u.role <> 'LEAD'",
    );
    expect(escalations.n).toBe("0");
  });
});

describe("preferences", () => {
  const context = {
    systemKey: "pref-system",
    systemName: "Pref System",
    milestoneKey: "rollback",
    milestoneName: "Rollback plan tested",
    dueOn: "2026-12-01",
    ownerNames: ["Sam"],
    actorName: null,
  };

  it("a person who turned an event off receives nothing for it; in-app off still e-mails", async () => {
    const { saveMyNotificationPreferences } = await import("@/lib/data/notification-preferences");
    const { listNotifications } = await import("@/lib/data/notifications");
    const { writeNotifications } = await import("@/lib/notifications/outbox");
    const { db } = await import("@/lib/db");
    const reviewer = await actorFor("reviewer@resetboard.dev");
    // Every event on except: submissions off entirely, at-risk by e-mail only.
    const form: Record<string, string> = { emailMode: "IMMEDIATE", digestHour: "8" };
    for (const event of ["CHANGES_REQUESTED", "QUORUM_REACHED", "OVERDUE", "REVIEW_WAITING"])
      Object.assign(form, { [`inApp.${event}`]: "on", [`email.${event}`]: "on" });
    form["email.AT_RISK"] = "on";
    await saveMyNotificationPreferences(reviewer, form);
    const day = "2026-11-27";
    const made = await db().$transaction((tx) =>
      writeNotifications(
        tx,
        [
          { event: "EVIDENCE_SUBMITTED", recipientId: reviewer.id, subject: "pref:1", day },
          { event: "AT_RISK", recipientId: reviewer.id, subject: "pref:2", day },
          { event: "OVERDUE", recipientId: reviewer.id, subject: "pref:3", day },
        ],
        context,
        "No Such Team",
      ),
    );
    expect(made).toBe(2);
    const rows = await client.query<{ event: string; in_app: boolean; emails: string }>(
      `SELECT n.event, n.in_app, (SELECT count(*) FROM notification_delivery d WHERE d.notification_id = n.id) AS emails
         FROM notification n WHERE n.recipient_id = $1 AND n.dedup_key LIKE '%|pref:%' ORDER BY n.event`,
      [reviewer.id],
    );
    expect(rows.rows).toEqual([
      { event: "AT_RISK", in_app: false, emails: "1" },
      { event: "OVERDUE", in_app: true, emails: "1" },
    ]);
    const inbox = (await listNotifications(reviewer, {})).items.filter((n) => n.systemKey === "pref-system");
    expect(inbox.map((n) => n.event)).toEqual(["OVERDUE"]);
  });

  it("a daily digest holds what its day produced, once, at the chosen hour", async () => {
    const { saveMyNotificationPreferences } = await import("@/lib/data/notification-preferences");
    const { writeNotifications } = await import("@/lib/notifications/outbox");
    const { sendDueDigests } = await import("@/lib/notifications/sweep");
    const { db } = await import("@/lib/db");
    const owner = await actorFor("owner@resetboard.dev");
    const form: Record<string, string> = { emailMode: "DAILY_DIGEST", digestHour: "9" };
    for (const event of ["AT_RISK", "OVERDUE"])
      Object.assign(form, { [`inApp.${event}`]: "on", [`email.${event}`]: "on" });
    await saveMyNotificationPreferences(owner, form);
    const write = (subject: string, at: string) =>
      db().$transaction((tx) =>
        writeNotifications(
          tx,
          [{ event: "AT_RISK", recipientId: owner.id, subject, day: at.slice(0, 10) }],
          { ...context, systemName: subject },
          "No Such Team",
          new Date(at),
        ),
      );
    await write("Digest A", "2026-11-25T07:00:00Z");
    await write("Digest B", "2026-11-25T13:00:00Z");
    await write("Digest C", "2026-11-25T23:30:00Z");
    await write("Digest next day", "2026-11-26T08:00:00Z");
    const immediate = await one<{ n: string }>(
      "SELECT count(*) AS n FROM notification_delivery d JOIN notification n ON n.id = d.notification_id WHERE n.recipient_id = $1 AND n.title LIKE '%Digest%'",
      [owner.id],
    );
    expect(immediate.n).toBe("0");

    expect(await sendDueDigests(db(), new Date("2026-11-26T08:59:00Z"))).toBe(0);
    expect(await sendDueDigests(db(), new Date("2026-11-26T09:05:00Z"))).toBe(1);
    expect(
      await Promise.all([
        sendDueDigests(db(), new Date("2026-11-26T09:10:00Z")),
        sendDueDigests(db(), new Date("2026-11-26T09:10:00Z")),
      ]),
    ).toEqual([0, 0]);

    // The sweep test above queued other mail; deliver until the digest is out.
    const { worker, close } = await workerWithOwnPool({ batchSize: 50 });
    worker.start();
    try {
      await until(
        async () =>
          (
            await one<{ status: string }>("SELECT status FROM notification_delivery WHERE dedup_key = $1", [
              `digest|${owner.id}|2026-11-25`,
            ])
          ).status === "SENT",
      );
    } finally {
      await close();
    }
    const digests = mails.filter((m) => header(m.raw, "Subject")?.startsWith("Resetboard digest"));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.to).toEqual(["owner@resetboard.dev"]);
    expect(header(digests[0]!.raw, "Subject")).toBe("Resetboard digest for 2026-11-25: 3 notifications");
    const text = decodedBody(digests[0]!.raw);
    for (const name of ["Digest A", "Digest B", "Digest C"]) expect(text).toContain(`At risk: ${name}`);
    expect(text).not.toContain("Digest next day");
  });
});

describe("the weekly executive summary", () => {
  // Monday 2026-11-30 08:05 in Berlin (UTC+1 in winter); 07:55 there is not yet due. In the past
  // of the machine's clock, so that the worker sends what the summary schedules.
  const MONDAY_0805 = new Date("2026-11-30T07:05:00Z");
  const MONDAY_0755 = new Date("2026-11-30T06:55:00Z");
  let audience: { id: string; email: string }[];
  let optedOut: { id: string; email: string };

  beforeAll(async () => {
    await client.query("UPDATE program SET time_zone = 'Europe/Berlin' WHERE active");
    audience = (
      await client.query<{ id: string; email: string }>(
        `SELECT id, email FROM app_user WHERE active AND role IN ('EXECUTIVE', 'LEAD')
           AND email NOT LIKE '%@service-account.invalid' ORDER BY email`,
      )
    ).rows;
    expect(audience.length).toBeGreaterThan(1);
    // One executive turns the summary off on both channels (every other event stays on).
    const executive = await one<{ email: string }>(
      "SELECT email FROM app_user WHERE active AND role = 'EXECUTIVE' ORDER BY email LIMIT 1",
    );
    const { saveMyNotificationPreferences } = await import("@/lib/data/notification-preferences");
    const { NotificationEvent } = await import("@/lib/generated/prisma/enums");
    const form: Record<string, string> = { emailMode: "IMMEDIATE", digestHour: "8" };
    for (const event of Object.values(NotificationEvent).filter((e) => e !== "WEEKLY_SUMMARY"))
      Object.assign(form, { [`inApp.${event}`]: "on", [`email.${event}`]: "on" });
    const actor = await actorFor(executive.email);
    await saveMyNotificationPreferences(actor, form);
    optedOut = { id: actor.id, email: actor.email };
  });

  it("goes to every executive and lead once on Monday 08:00 of the program's zone, with the figures, the forecast, the report and a verifiable anchor", async () => {
    const { sendWeeklySummary } = await import("@/lib/notifications/weekly-summary");
    const { computeProgress, weekOverWeekChange } = await import("@/lib/data/progress");
    const { forecastOfReport, forecastSentence } = await import("@/lib/domain/forecast");
    const { readAnchor, checkAnchor } = await import("@/lib/audit/anchor");
    const { db } = await import("@/lib/db");
    expect(await sendWeeklySummary(db(), MONDAY_0755)).toBe(0);
    const expected = audience.filter((p) => p.id !== optedOut.id);
    expect(await sendWeeklySummary(db(), MONDAY_0805)).toBe(expected.length);
    // Again the same week, twice at once as two instances would, and later that week: nothing.
    expect(await Promise.all([sendWeeklySummary(db(), MONDAY_0805), sendWeeklySummary(db(), MONDAY_0805)])).toEqual([
      0, 0,
    ]);
    expect(await sendWeeklySummary(db(), new Date("2026-12-03T12:00:00Z"))).toBe(0);
    expect((await client.query("SELECT week, time_zone FROM weekly_summary")).rows).toEqual([
      { week: "2026-W49", time_zone: "Europe/Berlin" },
    ]);

    // In-app: one per person, linking to the report.
    const inApp = await client.query<{ recipient_id: string; url: string }>(
      "SELECT recipient_id, url FROM notification WHERE event = 'WEEKLY_SUMMARY' ORDER BY recipient_id",
    );
    expect(inApp.rows.map((r) => r.recipient_id).sort()).toEqual(expected.map((p) => p.id).sort());
    expect(new Set(inApp.rows.map((r) => r.url))).toEqual(new Set(["/report"]));

    const { worker, close } = await workerWithOwnPool({ batchSize: 50 });
    worker.start();
    try {
      await until(
        async () =>
          (
            await one<{ n: string }>(
              `SELECT count(*) AS n FROM notification_delivery d JOIN notification n ON n.id = d.notification_id
                WHERE n.event = 'WEEKLY_SUMMARY' AND d.status <> 'SENT'`,
            )
          ).n === "0",
      );
    } finally {
      await close();
    }
    const summaries = mails.filter((m) => header(m.raw, "Subject")?.startsWith("Weekly summary:"));
    expect(summaries.flatMap((m) => m.to).sort()).toEqual(expected.map((p) => p.email).sort());
    expect(summaries.flatMap((m) => m.to)).not.toContain("owner@resetboard.dev");
    expect(summaries.flatMap((m) => m.to)).not.toContain(optedOut.email);

    const report = (await computeProgress(MONDAY_0805))!;
    const change = await weekOverWeekChange(report, MONDAY_0805);
    const text = decodedBody(summaries[0]!.raw);
    expect(header(summaries[0]!.raw, "Subject")).toBe(`Weekly summary: ${report.program.name}, week of 2026-11-30`);
    expect(text).toContain(forecastSentence(forecastOfReport(report)));
    for (const [figure, label] of [
      ["approved", "Checkpoints approved"],
      ["systemsDone", "Systems fully reset"],
      ["overdueCheckpoints", "Checkpoints overdue"],
    ] as const) {
      const moved = change.changes.find((c) => c.figure === figure)!;
      expect(text).toContain(
        `- ${label}: ${moved.to.toLocaleString("en-US")} (week ${change.since!.week}: ${moved.from.toLocaleString("en-US")}; ${moved.words})`,
      );
    }
    for (const risk of report.atRisk.items.slice(0, 5))
      expect(text).toContain(`${risk.systemName} (${risk.systemKey})`);
    expect(text).toContain("The full report: http://resetboard.test/report");
    expect(text).toContain("(Europe/Berlin)");
    expect(header(summaries[0]!.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");

    // The anchor line is the file `audit verify --anchor FILE` reads, and it verifies.
    const line = text.split(/\r?\n/).find((l) => l.startsWith('{"kind":"resetboard-audit-anchor"'));
    expect(line).toBeDefined();
    const read = readAnchor(line!, ANCHOR_KEY);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const event = await one<{ seq: string; hash: string }>("SELECT seq, hash FROM audit_event WHERE seq = $1", [
      read.anchor.seq,
    ]);
    expect(checkAnchor(read.anchor, { seq: BigInt(event.seq), hash: event.hash }, true)).toEqual({
      ok: true,
      seq: BigInt(read.anchor.seq),
    });
    // A copy with one digit of the hash changed does not.
    const forged = line!.replace(/"hash":"(.)/, (_, c: string) => `"hash":"${c === "0" ? "1" : "0"}`);
    expect(readAnchor(forged, ANCHOR_KEY)).toMatchObject({ ok: false, reason: "bad-signature" });

    // Two instances reaching next Monday's 08:00 together: the week's claim lets exactly one make it.
    const nextMonday = new Date("2026-12-07T07:05:00Z");
    const raced = await Promise.all([sendWeeklySummary(db(), nextMonday), sendWeeklySummary(db(), nextMonday)]);
    expect(raced.sort((a, b) => a - b)).toEqual([0, expected.length]);
    expect(
      await one<{ n: string }>(
        "SELECT count(*) AS n FROM notification WHERE event = 'WEEKLY_SUMMARY' AND dedup_key LIKE '%|2026-W50'",
      ),
    ).toEqual({ n: String(expected.length) });
  });
});

describe("one-click unsubscribe (RFC 8058)", () => {
  const context = {
    systemKey: "unsub-system",
    systemName: "Unsub System",
    milestoneKey: "rollback",
    milestoneName: "Rollback plan tested",
    dueOn: "2026-12-01",
    ownerNames: ["Sam"],
    actorName: null,
  };

  async function route() {
    return import("@/app/api/v1/notifications/unsubscribe/route");
  }

  async function counts(userId: string) {
    return one<{ events: string; prefs: string }>(
      `SELECT (SELECT count(*) FROM audit_event) AS events,
              (SELECT string_agg(event || ':' || in_app || ':' || email, ',' ORDER BY event) FROM notification_preference WHERE user_id = $1) AS prefs`,
      [userId],
    );
  }

  it("a mail's link: GET changes nothing, POST turns that event's e-mail off for that person only, and the next one is not e-mailed", async () => {
    const { writeNotifications } = await import("@/lib/notifications/outbox");
    const { db } = await import("@/lib/db");
    const person = await actorFor("junior@resetboard.dev");
    await client.query("DELETE FROM notification_preference WHERE user_id = $1", [person.id]);
    const write = (subject: string) =>
      db().$transaction((tx) =>
        writeNotifications(
          tx,
          [{ event: "OVERDUE", recipientId: person.id, subject, day: "2026-11-30" }],
          context,
          "No Such Team",
          new Date("2026-11-30T10:00:00Z"),
        ),
      );
    expect(await write("unsub:1")).toBe(1);
    const { worker, close } = await workerWithOwnPool({ batchSize: 50 });
    worker.start();
    try {
      await until(async () =>
        mails.some((m) => header(m.raw, "Subject") === "Overdue: Unsub System · Rollback plan tested"),
      );
    } finally {
      await close();
    }
    const mail = mails.find((m) => header(m.raw, "Subject") === "Overdue: Unsub System · Rollback plan tested")!;
    expect(mail.to).toEqual([person.email]);
    const link = /^<([^>]+)>, <http:\/\/resetboard\.test\/settings#notifications>$/.exec(
      header(mail.raw, "List-Unsubscribe")!,
    )![1]!;
    expect(header(mail.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const { GET, POST } = await route();

    // A scanner following the link changes nothing; the page offers the button that POSTs.
    const before = await counts(person.id);
    const page = await GET(new Request(link));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(html).toContain("Your checkpoint overdue");
    expect(await counts(person.id)).toEqual(before);

    // The provider's one-click POST, with no session.
    const oneClick = () =>
      POST(
        new Request(link, {
          method: "POST",
          body: "List-Unsubscribe=One-Click",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        }),
      );
    const response = await oneClick();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ changed: true, events: [{ event: "OVERDUE", email: false }] });
    const prefs = await client.query("SELECT event, in_app, email FROM notification_preference WHERE user_id = $1", [
      person.id,
    ]);
    expect(prefs.rows).toEqual([{ event: "OVERDUE", in_app: true, email: false }]);
    const audit = await one<{ actor_id: string; action: string; subject_id: string; data: unknown }>(
      "SELECT actor_id, action, subject_id, data FROM audit_event ORDER BY seq DESC LIMIT 1",
    );
    expect(audit).toMatchObject({
      actor_id: person.id,
      action: "notification_preferences.update",
      subject_id: person.id,
      data: { via: "one-click unsubscribe", emailOff: ["OVERDUE"] },
    });
    // Pressed again: already off, nothing more written.
    const again = await counts(person.id);
    expect(await (await oneClick()).json()).toMatchObject({ changed: false });
    expect(await counts(person.id)).toEqual(again);

    // The next overdue nudge reaches the bell but not the mailbox.
    expect(await write("unsub:2")).toBe(1);
    const next = await one<{ in_app: boolean; emails: string }>(
      `SELECT n.in_app, (SELECT count(*) FROM notification_delivery d WHERE d.notification_id = n.id) AS emails
         FROM notification n WHERE n.recipient_id = $1 AND n.dedup_key LIKE '%|unsub:2|%'`,
      [person.id],
    );
    expect(next).toEqual({ in_app: true, emails: "0" });
  });

  it("a forged, edited or missing token is a 400 problem and writes nothing", async () => {
    const { unsubscribeToken } = await import("@/lib/notifications/unsubscribe-token");
    const victim = await actorFor("reviewer@resetboard.dev");
    const attacker = await actorFor("owner@resetboard.dev");
    const { POST, GET } = await route();
    const own = unsubscribeToken(attacker.id, ["AT_RISK"])!;
    const [version, , events, signature] = own.split(".");
    const tokens = [
      `${version}.${victim.id}.${events}.${signature}`, // someone else's id under my signature
      `${version}.${attacker.id}.AT_RISK,OVERDUE.${signature}`, // more events than were signed
      `${version}.${victim.id}.AT_RISK.${"A".repeat(43)}`, // a made-up signature
      "",
    ];
    const before = await counts(victim.id);
    const beforeAttacker = await counts(attacker.id);
    for (const token of tokens) {
      const url = `http://resetboard.test/api/v1/notifications/unsubscribe?token=${encodeURIComponent(token)}`;
      for (const response of [
        await POST(
          new Request(url, {
            method: "POST",
            body: "List-Unsubscribe=One-Click",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
          }),
        ),
        await GET(new Request(url)),
      ]) {
        expect(response.status, token).toBe(400);
        expect(response.headers.get("content-type")).toContain("application/problem+json");
      }
    }
    // A genuine token without the RFC's body is refused too.
    const url = `http://resetboard.test/api/v1/notifications/unsubscribe?token=${encodeURIComponent(own)}`;
    expect((await POST(new Request(url, { method: "POST", body: "List-Unsubscribe=Yes" }))).status).toBe(400);
    expect(await counts(victim.id)).toEqual(before);
    expect(await counts(attacker.id)).toEqual(beforeAttacker);
  });
});

describe("the change gate asks the reviewers it waits on and tells the pipeline when a change may ship", () => {
  let systemKey: string;
  const TEAM = "Gate Notifications Team";

  beforeAll(async () => {
    // An AI-assisted change by a MID engineer on a Tier 1 system whose rollback is proven: it
    // needs a SENIOR's approval. Of its two reviewers only the SENIOR can unblock it.
    await client.query(
      `INSERT INTO app_user (email, name, role, seniority, updated_at) VALUES
         ('gate-author@x.dev', 'Gabe Author', 'ENGINEER', 'MID', now()),
         ('gate-senior@x.dev', 'Sana Senior', 'ENGINEER', 'SENIOR', now()),
         ('gate-junior@x.dev', 'Juno Junior', 'ENGINEER', 'JUNIOR', now())`,
    );
    const system = await one<{ id: string; key: string }>(
      "SELECT id, key FROM system WHERE archived_at IS NULL ORDER BY key DESC LIMIT 1",
    );
    systemKey = system.key;
    await client.query("UPDATE system SET tier = 'TIER_1', team = $2 WHERE id = $1", [system.id, TEAM]);
    await client.query("DELETE FROM assignment WHERE system_id = $1", [system.id]);
    await client.query(
      `INSERT INTO assignment (system_id, user_id, kind)
         SELECT $1, id, CASE WHEN email = 'gate-author@x.dev' THEN 'OWNER' ELSE 'REVIEWER' END::assignment_kind
           FROM app_user WHERE email LIKE 'gate-%@x.dev'`,
      [system.id],
    );
    await client.query(
      `UPDATE checkpoint c SET status = 'APPROVED', completed_at = now() FROM milestone m
        WHERE m.id = c.milestone_id AND c.system_id = $1 AND m.key = 'rollback'`,
      [system.id],
    );
    await client.query(
      `INSERT INTO team_webhook (team, format, url, secret, updated_at) VALUES ($1, 'GENERIC', $2, $3, now())`,
      [TEAM, `${hookBase}/pipeline`, SECRET],
    );
  });

  it("notifies the SENIOR (not the junior, not the author) of a new change, then the author and the webhook once it is allowed", async () => {
    const { registerChange, reviewChange } = await import("@/lib/data/change-commands");
    const { listNotifications } = await import("@/lib/data/notifications");
    const author = await actorFor("gate-author@x.dev");
    const senior = await actorFor("gate-senior@x.dev");
    const junior = await actorFor("gate-junior@x.dev");
    const change = await registerChange(author, {
      system: systemKey,
      title: "Raise the connection pool",
      url: "https://git.example.com/pr/42",
      aiAssisted: true,
      rollbackPlanUrl: "https://runbooks.example.com/pool-rollback",
    });
    expect(change.decision.allowed).toBe(false);

    const asked = (await listNotifications(senior, { unread: "true" })).items.filter((n) => n.systemKey === systemKey);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ event: "CHANGE_REVIEW_REQUESTED", milestone: null, url: `/changes/${change.id}` });
    expect(asked[0]!.title).toBe(`Change review requested: ${change.system.name} · Raise the connection pool`);
    expect((await listNotifications(junior, {})).items.filter((n) => n.systemKey === systemKey)).toEqual([]);
    expect((await listNotifications(author, {})).items.filter((n) => n.systemKey === systemKey)).toEqual([]);

    await reviewChange(senior, change.id, { decision: "APPROVE", comment: "Pool size checked", revision: 1 });
    const told = (await listNotifications(author, { unread: "true" })).items.filter((n) => n.systemKey === systemKey);
    expect(told.map((n) => n.event)).toEqual(["CHANGE_ALLOWED"]);
    expect(told[0]!.url).toBe(`/changes/${change.id}`);

    const { worker, close } = await workerWithOwnPool({ batchSize: 100 });
    worker.start();
    try {
      await until(
        async () =>
          hooks.filter((h) => h.path === "/pipeline").length === 2 &&
          mails.some((m) => m.to.includes("gate-author@x.dev")),
      );
    } finally {
      await close();
    }
    const pipeline = hooks
      .filter((h) => h.path === "/pipeline")
      .map((h) => ({ ...h, json: JSON.parse(h.body) as Record<string, unknown> }));
    const allowed = pipeline.find((h) => h.json.event === "CHANGE_ALLOWED")!;
    expect(allowed.headers["x-resetboard-signature"]).toBe(
      `sha256=${createHmac("sha256", SECRET).update(allowed.body).digest("hex")}`,
    );
    expect(allowed.json).toMatchObject({
      event: "CHANGE_ALLOWED",
      systemKey,
      milestone: null,
      changeId: change.id,
      url: `http://resetboard.test/changes/${change.id}`,
    });
    expect(pipeline.map((h) => h.json.event).sort()).toEqual(["CHANGE_ALLOWED", "CHANGE_REVIEW_REQUESTED"]);
    const mail = mails.find((m) => m.to.includes("gate-author@x.dev"))!;
    expect(decodedBody(mail.raw)).toContain(`Open the change: http://resetboard.test/changes/${change.id}`);
  });
});
