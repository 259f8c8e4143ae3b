// Checkpoint discussions through the real route handlers, a real Postgres and a real SMTP server:
// a comment is stored once with its audit event, listed newest last, cannot be changed or removed,
// and an @mention of someone with access notifies that person (in the app and by e-mail, as their
// preferences say) with a link to the checkpoint; nobody else, never the author, never a team channel.
import path from "node:path";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { type Handler, identity } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));

const mails: { raw: string; to: string[] }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, s, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      mails.push({ raw: Buffer.concat(chunks).toString("utf8"), to: s.envelope.rcptTo.map((r) => r.address) });
      callback();
    });
  },
});

let database: AppTestDatabase;
let client: pg.Client;
let systemKey: string;
const people = {} as Record<"owner" | "reviewer" | "lead" | "exec" | "stranger", SessionUser>;
const MILESTONE = "documentation";

/** What the comments endpoints answer: a comment, a list, or a problem. */
interface Answer {
  id: string;
  milestone: string;
  body: string;
  mentioned: { id: string; name: string }[];
  items: { body: string }[];
  errors: Record<string, string[]>;
}

const ROUTE = path.resolve("app/api/v1/systems/[key]/checkpoints/[milestone]/comments/route.ts");

async function call(who: SessionUser, method: "GET" | "POST", body?: unknown, headers: Record<string, string> = {}) {
  const handler = ((await import(ROUTE)) as Record<string, Handler>)[method]!;
  const request = new Request(`http://test/api/v1/systems/${systemKey}/checkpoints/${MILESTONE}/comments`, {
    method,
    headers: { "Content-Type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await identity.run(who, () =>
    handler(request, { params: Promise.resolve({ key: systemKey, milestone: MILESTONE }) }),
  );
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: JSON.parse(text) as Answer,
  };
}

async function counts() {
  const { rows } = await client.query<{ comments: string; notifications: string; deliveries: string; events: string }>(
    `SELECT (SELECT count(*) FROM checkpoint_comment) AS comments, (SELECT count(*) FROM notification) AS notifications,
            (SELECT count(*) FROM notification_delivery) AS deliveries, (SELECT count(*) FROM audit_event) AS events`,
  );
  return rows[0]!;
}

async function deliverAll() {
  const { DeliveryWorker } = await import("@/lib/notifications/worker");
  const { createChannels } = await import("@/lib/notifications/channels");
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const channels = createChannels({
    smtpUrl: process.env.SMTP_URL!,
    mailFrom: "Resetboard <noreply@resetboard.test>",
    allowPrivateWebhooks: true,
    timeoutMs: 5_000,
  });
  const worker = new DeliveryWorker({ pool, channels, pollMs: 50, batchSize: 20, backoffMs: () => 20 });
  try {
    await worker.runOnce();
  } finally {
    await worker.stop();
    channels.close();
    await pool.end();
  }
}

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.NEXTAUTH_URL = "http://resetboard.test";
  database = await createAppTestDatabase();
  client = database.client;
  const pick = async (where: string, params: unknown[] = []) =>
    (
      await client.query<SessionUser>(
        `SELECT id, email, name, role, seniority FROM app_user WHERE ${where} ORDER BY email LIMIT 1`,
        params,
      )
    ).rows[0]!;
  people.owner = await pick("email = 'owner@resetboard.dev'");
  people.lead = await pick("email = 'lead@resetboard.dev'");
  people.exec = await pick("email = 'exec@resetboard.dev'");
  const system = (
    await client.query<{ id: string; key: string; team: string }>(
      `SELECT s.id, s.key, s.team FROM system s JOIN assignment a ON a.system_id = s.id AND a.kind = 'OWNER' AND a.user_id = $1 ORDER BY s.key LIMIT 1`,
      [people.owner.id],
    )
  ).rows[0]!;
  systemKey = system.key;
  people.reviewer = await pick(
    "id IN (SELECT user_id FROM assignment WHERE system_id = $1 AND kind = 'REVIEWER') AND role = 'ENGINEER'",
    [system.id],
  );
  people.stranger = await pick(
    "role = 'ENGINEER' AND active AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.user_id = app_user.id AND a.system_id = $1)",
    [system.id],
  );
  // A team channel that must not hear of personal mentions.
  await client.query(
    "INSERT INTO team_webhook (team, format, url, secret, updated_at) VALUES ($1, 'SLACK', 'http://127.0.0.1:9/hook', NULL, now())",
    [system.team],
  );
  await client.query("DELETE FROM notification");
}, 120_000);

afterAll(async () => {
  await database?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe("a checkpoint's discussion", () => {
  it("stores a comment with its audit event, lists it newest last, and notifies the person it mentions", async () => {
    const first = await call(people.lead, "POST", { body: "Kick-off: please link the runbook here." });
    expect(first.status).toBe(201);
    expect(first.body.mentioned).toEqual([]);

    const before = await counts();
    // The author mentions themselves, someone with access, and an executive (no access to the thread).
    const text = `@${people.reviewer.name} can you check the runbook link?\nCc @${people.owner.name} and @${people.exec.name}.`;
    const posted = await call(people.owner, "POST", { body: `  ${text}  ` });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      milestone: MILESTONE,
      body: text,
      author: { id: people.owner.id, name: people.owner.name },
      mentioned: [{ id: people.reviewer.id, name: people.reviewer.name }],
    });
    const after = await counts();
    expect(Number(after.comments) - Number(before.comments)).toBe(1);
    expect(Number(after.events) - Number(before.events)).toBe(1);
    // One notification (the reviewer's), and its e-mail; no webhook delivery for a personal mention.
    expect(Number(after.notifications) - Number(before.notifications)).toBe(1);
    expect(Number(after.deliveries) - Number(before.deliveries)).toBe(1);

    const audit = await client.query<{ action: string; actor_id: string; system_key: string; data: unknown }>(
      "SELECT action, actor_id, system_key, data FROM audit_event WHERE subject_id = $1",
      [posted.body.id],
    );
    expect(audit.rows).toEqual([
      {
        action: "comment.post",
        actor_id: people.owner.id,
        system_key: systemKey,
        data: { milestone: MILESTONE, body: text, mentioned: [people.reviewer.id] },
      },
    ]);

    const list = await call(people.exec, "GET");
    expect(list.status).toBe(200);
    expect(list.body.items.map((c) => c.body)).toEqual(["Kick-off: please link the runbook here.", text]);

    const { listNotifications } = await import("@/lib/data/notifications");
    const actorOf = (u: SessionUser) => ({ kind: "user" as const, ...u });
    const inbox = (await listNotifications(actorOf(people.reviewer), { unread: "true" })).items;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({
      event: "MENTION",
      systemKey,
      milestone: MILESTONE,
      url: `/systems/${systemKey}#cp-${MILESTONE}`,
      title: expect.stringMatching(new RegExp(`^${people.owner.name} mentioned you: `)),
    });
    for (const nobody of [people.owner, people.exec, people.lead])
      expect((await listNotifications(actorOf(nobody), {})).items).toEqual([]);

    mails.length = 0;
    await deliverAll();
    expect(mails.map((m) => m.to).flat()).toEqual([people.reviewer.email]);
    const body = mails[0]!.raw.replace(/=\r?\n/g, "");
    expect(body).toContain(`http://resetboard.test/systems/${systemKey}#cp-${MILESTONE}`);
    expect(body).toContain("can you check the runbook link?");
  });

  it("respects the mentioned person's preferences: with mentions off, nothing is made", async () => {
    // Through Settings, as the person would: every event on except mentions.
    const { saveMyNotificationPreferences } = await import("@/lib/data/notification-preferences");
    const { NotificationEvent } = await import("@/lib/generated/prisma/enums");
    const form: Record<string, string> = { emailMode: "IMMEDIATE", digestHour: "8" };
    for (const event of Object.values(NotificationEvent).filter((e) => e !== "MENTION"))
      Object.assign(form, { [`inApp.${event}`]: "on", [`email.${event}`]: "on" });
    await saveMyNotificationPreferences({ kind: "user", ...people.reviewer }, form);
    const before = await counts();
    const posted = await call(people.lead, "POST", { body: `@${people.reviewer.name} again, please.` });
    expect(posted.status).toBe(201);
    expect(posted.body.mentioned).toEqual([{ id: people.reviewer.id, name: people.reviewer.name }]);
    const after = await counts();
    expect(Number(after.comments) - Number(before.comments)).toBe(1);
    expect(after.notifications).toBe(before.notifications);
    expect(after.deliveries).toBe(before.deliveries);
  });

  it("refuses executives and people without an assignment with an audited 403, writing nothing else", async () => {
    for (const who of [people.exec, people.stranger]) {
      const before = await counts();
      const refused = await call(who, "POST", { body: `@${people.owner.name} hello` });
      expect(refused.status).toBe(403);
      expect(refused.type).toContain("application/problem+json");
      const after = await counts();
      expect({ ...after, events: undefined }).toEqual({ ...before, events: undefined });
      const last = await client.query<{ action: string; data: unknown }>(
        "SELECT action, data FROM audit_event ORDER BY seq DESC LIMIT 1",
      );
      expect(last.rows[0]).toMatchObject({ action: "authz.denied", data: { attempted: "comment.post" } });
    }
  });

  it("refuses empty, oversized and control-character comments with a 400 naming the field", async () => {
    const before = await counts();
    for (const body of [{ body: "   " }, { body: "x".repeat(4001) }, { body: "a\u0000b" }, {}, { body: 12 }]) {
      const refused = await call(people.owner, "POST", body);
      expect(refused.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(refused.body.errors).toHaveProperty("body");
    }
    expect(await counts()).toEqual(before);
  });

  it("an Idempotency-Key makes a retried post one comment", async () => {
    const before = await counts();
    const headers = { "Idempotency-Key": "comment-once" };
    const first = await call(people.owner, "POST", { body: "Posted once." }, headers);
    const again = await call(people.owner, "POST", { body: "Posted once." }, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(Number((await counts()).comments) - Number(before.comments)).toBe(1);
  });

  it("comments are immutable: the database refuses UPDATE and DELETE", async () => {
    await expect(client.query("UPDATE checkpoint_comment SET body = 'edited'")).rejects.toThrow(/append-only/);
    await expect(client.query("DELETE FROM checkpoint_comment")).rejects.toThrow(/append-only/);
  });

  it("a missing checkpoint is a 404", async () => {
    const handler = ((await import(ROUTE)) as Record<string, Handler>).GET!;
    const response = await identity.run(people.owner, () =>
      handler(new Request("http://test/x"), { params: Promise.resolve({ key: systemKey, milestone: "no-such" }) }),
    );
    expect(response.status).toBe(404);
  });
});
