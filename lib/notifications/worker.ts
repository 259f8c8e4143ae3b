// The delivery worker: claims due outbox rows with FOR UPDATE SKIP LOCKED (so any number of
// workers, in any number of app instances, never take the same row at once), sends each, and
// records the attempt: SENT once delivered, retried with backoff, FAILED after max_attempts.
// It uses its own small pg pool so that delivery never competes with requests for connections.
import type pg from "pg";
import type { Channels } from "@/lib/notifications/channels";
import type { EmailPayload } from "@/lib/notifications/render";

export interface WorkerOptions {
  pool: pg.Pool;
  channels: Channels;
  batchSize?: number;
  /** How long to wait for new work when the outbox is empty. */
  pollMs?: number;
  /** How long a claim holds; a worker that dies mid-send frees its rows after this. */
  leaseMs?: number;
  /** Delay before the retry after attempt n (1-based). */
  backoffMs?: (attempt: number) => number;
  onError?: (error: unknown) => void;
}

/** 30 s, 1 min, 2 min, 4 min … capped at an hour: a flapping receiver is not hammered. */
export function defaultBackoff(attempt: number): number {
  return Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);
}

interface Claimed {
  id: string;
  channel: "EMAIL" | "WEBHOOK";
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  webhook_url: string | null;
  webhook_format: "SLACK" | "GENERIC" | null;
  webhook_secret: string | null;
}

export class DeliveryWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly o: Required<Omit<WorkerOptions, "onError">> & Pick<WorkerOptions, "onError">;

  constructor(options: WorkerOptions) {
    this.o = { batchSize: 20, pollMs: 2_000, leaseMs: 60_000, backoffMs: defaultBackoff, ...options };
  }

  /** Claims and delivers one batch; returns how many rows it handled. */
  async runOnce(): Promise<number> {
    // A worker that died holding a row's last attempt leaves it pending with no attempts left.
    await this.o.pool.query(
      `UPDATE notification_delivery SET status = 'FAILED', locked_until = NULL, updated_at = now(),
              last_error = coalesce(last_error, 'The last attempt did not finish (the worker stopped)')
        WHERE status = 'PENDING' AND attempts >= max_attempts AND locked_until < now()`,
    );
    const { rows } = await this.o.pool.query<Claimed>(
      `WITH due AS (
         SELECT id FROM notification_delivery
          WHERE status = 'PENDING' AND next_attempt_at <= now() AND attempts < max_attempts
            AND (locked_until IS NULL OR locked_until < now())
          ORDER BY next_attempt_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
       UPDATE notification_delivery d
          SET attempts = d.attempts + 1, locked_until = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
         FROM due
        WHERE d.id = due.id
       RETURNING d.id, d.channel, d.payload, d.attempts, d.max_attempts,
                 (SELECT url FROM team_webhook WHERE id = d.webhook_id) AS webhook_url,
                 (SELECT format FROM team_webhook WHERE id = d.webhook_id) AS webhook_format,
                 (SELECT secret FROM team_webhook WHERE id = d.webhook_id) AS webhook_secret`,
      [this.o.batchSize, this.o.leaseMs],
    );
    await Promise.all(rows.map((row) => this.deliver(row)));
    return rows.length;
  }

  private async deliver(row: Claimed): Promise<void> {
    let error: string | null = null;
    try {
      if (row.channel === "EMAIL") {
        if (!this.o.channels.email) throw new Error("E-mail is off: SMTP_URL is not set");
        await this.o.channels.email(row.id, row.payload as unknown as EmailPayload);
      } else {
        if (!row.webhook_url || !row.webhook_format) throw new Error("The webhook was removed");
        await this.o.channels.webhook(
          row.id,
          { url: row.webhook_url, format: row.webhook_format, secret: row.webhook_secret },
          row.payload.body,
        );
      }
    } catch (caught) {
      error = (caught instanceof Error ? caught.message : String(caught)).slice(0, 1000) || "Unknown error";
    }
    const last = row.attempts >= row.max_attempts;
    await this.o.pool.query(
      `WITH upd AS (
         UPDATE notification_delivery
            SET status = CASE WHEN $2::text IS NULL THEN 'SENT' WHEN $3 THEN 'FAILED' ELSE 'PENDING' END::delivery_status,
                sent_at = CASE WHEN $2::text IS NULL THEN now() END,
                last_error = $2::text,
                next_attempt_at = CASE WHEN $2::text IS NULL OR $3 THEN next_attempt_at ELSE now() + make_interval(secs => $4::double precision / 1000) END,
                locked_until = NULL, updated_at = now()
          WHERE id = $1
          RETURNING id)
       INSERT INTO delivery_attempt (delivery_id, number, ok, error)
       SELECT $1, coalesce((SELECT max(number) FROM delivery_attempt WHERE delivery_id = $1), 0) + 1, $2::text IS NULL, $2::text FROM upd`,
      [row.id, error, last, this.o.backoffMs(row.attempts)],
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let handled = 0;
        try {
          handled = await this.runOnce();
        } catch (error) {
          this.o.onError?.(error);
        }
        if (handled === 0 && this.running) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.o.pollMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
        }
      }
    })();
  }

  /** Stops taking work and waits for the batch in hand to be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }
}
