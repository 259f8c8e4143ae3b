// The system page's read: one statement (no query per relation), and the same facts as the
// relation-by-relation read it replaced, for every seeded system.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { countSql } from "@/tests/sql-counter";

let db: AppTestDatabase;
let lead: Actor;

beforeAll(async () => {
  db = await createAppTestDatabase();
  const { rows } = await db.client.query(
    "SELECT id, email, role, seniority FROM app_user WHERE email = 'lead@resetboard.dev'",
  );
  lead = { kind: "user", ...rows[0] };
});

afterAll(async () => {
  await db?.close();
});

describe("getSystemDetail", () => {
  it("reads a system in one statement", async () => {
    const { getSystemDetail } = await import("@/lib/data/checkpoints/system-detail");
    const { rows } = await db.client.query<{ key: string }>("SELECT key FROM system ORDER BY key LIMIT 1");
    const { result, statements } = await countSql(() => getSystemDetail(lead, rows[0]!.key));
    expect(result.checkpoints).toHaveLength(8);
    expect(statements).toHaveLength(1);
  });

  it("shows every checkpoint's evidence, reviews, waiver and override as the database holds them", async () => {
    const { getSystemDetail } = await import("@/lib/data/checkpoints/system-detail");
    const { db: prisma } = await import("@/lib/db");
    const systems = await prisma().system.findMany({
      orderBy: { key: "asc" },
      select: {
        key: true,
        assignments: { select: { kind: true, user: { select: { email: true } } } },
        checkpoints: {
          orderBy: { milestone: { sequence: "asc" } },
          select: {
            status: true,
            dueOn: true,
            version: true,
            dueOnOverrideReason: true,
            milestone: { select: { key: true } },
            evidence: {
              orderBy: { submittedAt: "asc" },
              select: {
                id: true,
                submittedAt: true,
                submittedBy: { select: { email: true } },
                withdrawal: { select: { at: true } },
              },
            },
            reviews: {
              orderBy: { at: "asc" },
              select: { id: true, decision: true, round: true, at: true, reviewer: { select: { email: true } } },
            },
            waivers: {
              where: { revokedAt: null, lapsedAt: null },
              select: { id: true, expiresOn: true, grantedBy: { select: { email: true } } },
            },
          },
        },
      },
    });
    let evidence = 0;
    let waivers = 0;
    for (const system of systems) {
      const detail = await getSystemDetail(lead, system.key);
      expect(detail.owners.map((u) => u.email).sort()).toEqual(
        system.assignments
          .filter((a) => a.kind === "OWNER")
          .map((a) => a.user.email)
          .sort(),
      );
      expect(detail.reviewers.map((u) => u.email).sort()).toEqual(
        system.assignments
          .filter((a) => a.kind === "REVIEWER")
          .map((a) => a.user.email)
          .sort(),
      );
      expect(
        detail.checkpoints.map((c) => ({
          milestone: c.milestone,
          status: c.status,
          dueOn: c.dueOn,
          version: c.version,
          override: c.dueOnOverride?.reason ?? null,
          evidence: c.evidence.map((e) => ({
            id: e.id,
            at: e.submittedAt,
            by: e.submittedBy.email,
            withdrawnAt: e.withdrawnAt,
          })),
          reviews: c.reviews.map((r) => ({
            id: r.id,
            decision: r.decision,
            round: r.round,
            at: r.at,
            by: r.reviewer.email,
          })),
          waiver: c.waiver ? { id: c.waiver.id, expiresOn: c.waiver.expiresOn, by: c.waiver.grantedBy.email } : null,
        })),
      ).toEqual(
        system.checkpoints.map((c) => ({
          milestone: c.milestone.key,
          status: c.status,
          dueOn: c.dueOn.toISOString().slice(0, 10),
          version: c.version,
          override: c.dueOnOverrideReason,
          evidence: c.evidence.map((e) => ({
            id: e.id,
            at: e.submittedAt.toISOString(),
            by: e.submittedBy.email,
            withdrawnAt: e.withdrawal?.at.toISOString() ?? null,
          })),
          reviews: c.reviews.map((r) => ({
            id: r.id,
            decision: r.decision,
            round: r.round,
            at: r.at.toISOString(),
            by: r.reviewer.email,
          })),
          waiver: c.waivers[0]
            ? {
                id: c.waivers[0].id,
                expiresOn: c.waivers[0].expiresOn.toISOString().slice(0, 10),
                by: c.waivers[0].grantedBy.email,
              }
            : null,
        })),
      );
      evidence += detail.checkpoints.reduce((n, c) => n + c.evidence.length, 0);
      waivers += detail.checkpoints.filter((c) => c.waiver).length;
    }
    // The demo has both, so the comparison above compared something.
    expect(evidence).toBeGreaterThan(0);
    expect(waivers).toBeGreaterThan(0);
  });

  it("approves in a bounded number of statements: the audit event last in the transaction, nothing read after COMMIT", async () => {
    const { getMyWork } = await import("@/lib/data/my-work");
    const { reviewCheckpoint } = await import("@/lib/data/checkpoints/review");
    const { rows } = await db.client.query(
      "SELECT id, email, role, seniority FROM app_user WHERE email = 'reviewer@resetboard.dev'",
    );
    const reviewer: Actor = { kind: "user", ...rows[0] };
    let approved: string[] | null = null;
    for (const item of (await getMyWork(reviewer)).now.filter((i) => i.as === "reviewer")) {
      const { rows: cp } = await db.client.query<{ version: number }>(
        "SELECT c.version FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id WHERE s.key = $1 AND m.key = $2",
        [item.systemKey, item.milestone],
      );
      const attempt = await countSql(() =>
        reviewCheckpoint(reviewer, item.systemKey, item.milestone, {
          decision: "APPROVE",
          comment: "",
          version: cp[0]!.version,
        }).catch(() => null),
      );
      if (attempt.result) {
        approved = attempt.statements;
        break;
      }
    }
    expect(approved).not.toBeNull();
    const statements = approved!.map((s) => s.trim().replace(/\s+/g, " "));
    // The workflow: BEGIN, the facts in one read, the guarded write, the roll-up (three, when the
    // status moves), the review, the checkpoint read again as the change left it, the outbox's
    // one read of who hears of it and its rows, the audit event, COMMIT. A body that parses costs
    // no check before the transaction, and the answer is built from the read inside it.
    expect(statements.length).toBeLessThanOrEqual(12);
    const commit = statements.findIndex((s) => /^COMMIT/i.test(s));
    expect(statements[commit - 1]).toMatch(/INSERT INTO audit_event .* RETURNING seq, prev_hash, hash$/);
    expect(statements.slice(commit + 1)).toEqual([]);
  });
});
