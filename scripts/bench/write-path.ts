// The write path: approvals per second through the API (authorize, load, decide, transition,
// review row, hash-chained audit event, all in one transaction) against plain single-row INSERTs
// of the same number of rows through `pg` at the same concurrency. Set-up is direct SQL, like the
// e2e fixtures: bench reviewers (PRINCIPAL, so every seniority rule passes) with API tokens,
// assigned to the systems of distinct checkpoints that are put into SUBMITTED with evidence.
import pg from "pg";
import { generateApiToken } from "@/lib/data/api-token";
import { connect } from "./pg-client";
import { summarize, type LatencySummary } from "./stats";

export interface Approval {
  token: string;
  path: string;
  version: number;
}

export interface WritePlan {
  /** One queue per connection: a connection approves as one reviewer, on that reviewer's systems. */
  queues: Approval[][];
  /** Values of the same shape as the review rows the API writes, for the plain inserts. */
  rowValues: { checkpointId: string; reviewerId: string; round: number }[];
}

export async function prepareApprovals(
  client: pg.Client,
  options: { approvals: number; connections: number },
): Promise<WritePlan> {
  const reviewers: { id: string; token: string }[] = [];
  for (let i = 0; i < options.connections; i++) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO app_user (email, name, role, seniority, updated_at) VALUES ($1, $2, 'ENGINEER', 'PRINCIPAL', now())
       ON CONFLICT (email) DO UPDATE SET active = true RETURNING id`,
      [`bench-reviewer-${i}@bench.resetboard.dev`, `Bench Reviewer ${i}`],
    );
    const { token, hash, prefix } = generateApiToken();
    await client.query("INSERT INTO api_token (user_id, name, token_hash, prefix) VALUES ($1, 'bench', $2, $3)", [
      rows[0]!.id,
      hash,
      prefix,
    ]);
    reviewers.push({ id: rows[0]!.id, token });
  }
  const lead = (
    await client.query<{ id: string }>("SELECT id FROM app_user WHERE role = 'LEAD' AND active ORDER BY email LIMIT 1")
  ).rows[0];
  if (!lead) throw new Error("The bench database has no active lead to author the evidence.");
  // Checkpoints not yet under review and never waived, spread over as many systems as possible.
  const { rows: picked } = await client.query<{
    id: string;
    system_id: string;
    system_key: string;
    milestone_key: string;
    n: number;
  }>(
    `SELECT c.id, c.system_id, s.key AS system_key, m.key AS milestone_key,
            row_number() OVER (PARTITION BY c.system_id ORDER BY m.sequence)::int AS n
       FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id
      WHERE c.status IN ('NOT_STARTED', 'IN_PROGRESS') AND NOT EXISTS (SELECT 1 FROM waiver w WHERE w.checkpoint_id = c.id)
      ORDER BY n, s.key LIMIT $1`,
    [options.approvals],
  );
  if (picked.length < options.approvals)
    throw new Error(`Only ${picked.length} checkpoints can be prepared for ${options.approvals} approvals.`);
  const systemIds = [...new Set(picked.map((p) => p.system_id))];
  const reviewerOf = new Map(systemIds.map((id, i) => [id, reviewers[i % reviewers.length]!]));
  await client.query(
    `INSERT INTO assignment (system_id, user_id, kind) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::assignment_kind[]) ON CONFLICT DO NOTHING`,
    [systemIds, systemIds.map((id) => reviewerOf.get(id)!.id), systemIds.map(() => "REVIEWER")],
  );
  const ids = picked.map((p) => p.id);
  await client.query(
    `INSERT INTO evidence (checkpoint_id, url, title, kind, submitted_by_id)
     SELECT id, 'https://docs.example.com/bench', 'Bench evidence', 'DOC', $2 FROM unnest($1::uuid[]) AS id`,
    [ids, lead.id],
  );
  const { rows: submitted } = await client.query<{ id: string; version: number; round: number }>(
    `UPDATE checkpoint SET status = 'SUBMITTED', round = round + 1, version = version + 1, submitted_at = now(),
            status_changed_at = now(), completed_at = NULL
      WHERE id = ANY($1::uuid[]) RETURNING id, version, round`,
    [ids],
  );
  const byId = new Map(submitted.map((row) => [row.id, row]));
  const queues: Approval[][] = reviewers.map(() => []);
  const rowValues: WritePlan["rowValues"] = [];
  for (const p of picked) {
    const reviewer = reviewerOf.get(p.system_id)!;
    const row = byId.get(p.id)!;
    queues[reviewers.indexOf(reviewer)]!.push({
      token: reviewer.token,
      path: `/api/v1/systems/${p.system_key}/checkpoints/${p.milestone_key}/reviews`,
      version: row.version,
    });
    rowValues.push({ checkpointId: p.id, reviewerId: reviewer.id, round: row.round });
  }
  return { queues, rowValues };
}

export function approve(baseUrl: string, approval: Approval): Promise<Response> {
  return fetch(baseUrl + approval.path, {
    method: "POST",
    headers: { Authorization: `Bearer ${approval.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ decision: "APPROVE", comment: "Benchmark sign-off", version: approval.version }),
  });
}

export interface WriteResult extends LatencySummary {
  ok: number;
  failed: number;
  statuses: Record<string, number>;
}

/** Every queue drained by its own connection; throughput counts successful approvals only. */
export async function runApprovals(baseUrl: string, queues: Approval[][]): Promise<WriteResult> {
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(
    queues.map(async (queue) => {
      for (const approval of queue) {
        const t = performance.now();
        const response = await approve(baseUrl, approval);
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 201) samples.push(performance.now() - t);
      }
    }),
  );
  const windowMs = performance.now() - started;
  const ok = statuses["201"] ?? 0;
  return { ...summarize(samples, windowMs), ok, failed: queues.flat().length - ok, statuses };
}

/** The same number of rows, one autocommitted INSERT each, at the same concurrency. */
export async function runPlainInserts(
  connectionString: string,
  rows: WritePlan["rowValues"],
  options: { connections: number; applicationName: string },
): Promise<LatencySummary> {
  const setup = await connect(connectionString, options.applicationName);
  await setup.query("DROP TABLE IF EXISTS bench_plain_review");
  // The review table's columns, defaults and NOT NULLs, without its keys, triggers or chain.
  await setup.query("CREATE TABLE bench_plain_review (LIKE review INCLUDING DEFAULTS)");
  const clients = await Promise.all(
    Array.from({ length: options.connections }, () => connect(connectionString, options.applicationName)),
  );
  const samples: number[] = [];
  try {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        for (let i = next++; i < rows.length; i = next++) {
          const row = rows[i]!;
          const t = performance.now();
          await client.query(
            `INSERT INTO bench_plain_review (checkpoint_id, reviewer_id, round, decision, comment, seniority, evidence_digest)
             VALUES ($1, $2, $3, 'APPROVE', 'Benchmark sign-off', 'PRINCIPAL', $4)`,
            [row.checkpointId, row.reviewerId, row.round, "0".repeat(64)],
          );
          samples.push(performance.now() - t);
        }
      }),
    );
    return summarize(samples, performance.now() - started);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    await setup.query("DROP TABLE IF EXISTS bench_plain_review").catch(() => undefined);
    await setup.end();
  }
}
