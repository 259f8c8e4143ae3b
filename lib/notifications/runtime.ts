// Starts the notification machinery inside an app process (from instrumentation.ts): the outbox
// delivery worker, and pg-boss for the schedule that runs the sweep. pg-boss keeps its jobs and
// schedules in Postgres (schema "pgboss"), so they survive restarts and a scheduled job runs on
// one instance, however many are up.
import pg from "pg";
import PgBoss from "pg-boss";
import { databaseUrl, notificationConfig } from "@/lib/env";
import { logger } from "@/lib/log";
import { createChannels } from "@/lib/notifications/channels";
import { sendDueDigests, sweepScheduledNotifications } from "@/lib/notifications/sweep";
import { DeliveryWorker } from "@/lib/notifications/worker";
import { onShutdown } from "@/lib/shutdown";

export const SWEEP_QUEUE = "notification-sweep";
/** Every five minutes: nudges are keyed by day, so a sweep that finds nothing new costs a read. */
export const SWEEP_CRON = "*/5 * * * *";

export interface NotificationRuntime {
  stop(): Promise<void>;
}

const globalForRuntime = globalThis as unknown as { resetboardNotifications?: Promise<NotificationRuntime> };

export function startNotificationRuntime(
  log: (line: string) => void = (line) => logger("notifications").info(line),
): Promise<NotificationRuntime> {
  // Next's dev server may run register() again on reload; one runtime per process.
  globalForRuntime.resetboardNotifications ??= start(log);
  // Before the pool (order 100): the workers finish the batch in hand while they can still write.
  onShutdown("notification workers", stopNotificationRuntime, 10);
  return globalForRuntime.resetboardNotifications;
}

/** For the shutdown path: finish the batch in hand, then stop. */
export async function stopNotificationRuntime(): Promise<void> {
  const runtime = globalForRuntime.resetboardNotifications;
  globalForRuntime.resetboardNotifications = undefined;
  await (await runtime)?.stop();
}

/** Postgres errors of two instances doing the same setup at once (deadlock, serialization, duplicate). */
const RACE_CODES = new Set(["40P01", "40001", "23505"]);
const SETUP_ATTEMPTS = 5;

/**
 * pg-boss with the sweep's queue, schedule and worker. Instances started together (a rollout,
 * the two-instance test) create the same queue at the same moment, and Postgres may answer one of
 * them "deadlock detected": that instance tries again after a short random pause instead of
 * running without a scheduler.
 */
async function startScheduler(connectionString: string, log: (line: string) => void): Promise<PgBoss> {
  for (let attempt = 1; ; attempt += 1) {
    const boss = new PgBoss({ connectionString, max: 2 });
    boss.on("error", (error) => log(`pg-boss: ${error.message}`));
    try {
      await boss.start();
      await boss.createQueue(SWEEP_QUEUE, { name: SWEEP_QUEUE, policy: "singleton" });
      await boss.schedule(SWEEP_QUEUE, SWEEP_CRON);
      await boss.work(SWEEP_QUEUE, runSweep(log));
      return boss;
    } catch (error) {
      await boss.stop({ graceful: false, wait: true, timeout: 2_000 }).catch(() => undefined);
      const code = (error as { code?: unknown }).code;
      if (attempt >= SETUP_ATTEMPTS || typeof code !== "string" || !RACE_CODES.has(code)) throw error;
      log(
        `pg-boss setup met another instance's (${(error as Error).message}): trying again (${attempt}/${SETUP_ATTEMPTS})`,
      );
      await new Promise((resolve) => setTimeout(resolve, 150 * attempt + Math.random() * 350));
    }
  }
}

function runSweep(log: (line: string) => void) {
  return async () => {
    const created = await sweepScheduledNotifications();
    const digests = await sendDueDigests();
    // Loaded here, not at the top: it reads the progress figures through lib/data.
    const { sendWeeklySummary } = await import("@/lib/notifications/weekly-summary");
    const summaries = await sendWeeklySummary();
    if (created || digests || summaries)
      log(`scheduled sweep: ${created} new notifications, ${digests} digests, ${summaries} weekly summaries`);
  };
}

async function start(log: (line: string) => void): Promise<NotificationRuntime> {
  const config = notificationConfig();
  const connectionString = databaseUrl();
  const channels = createChannels(config);
  log(
    config.smtpUrl
      ? "e-mail is on (SMTP_URL is set)"
      : "e-mail is off: set SMTP_URL to send e-mail; in-app notifications and webhooks still work",
  );
  const pool = new pg.Pool({ connectionString, max: 2 });
  // An idle connection the database drops (a restart) is replaced on the next poll; without a
  // listener the pool would throw it as an uncaught exception.
  pool.on("error", (error) => log(`an idle worker connection closed: ${error.message}`));
  const worker = new DeliveryWorker({
    pool,
    channels,
    onError: (error) => log(`delivery failed to run: ${String(error)}`),
  });
  worker.start();
  let boss: PgBoss;
  try {
    boss = await startScheduler(connectionString, log);
  } catch (error) {
    // Without its scheduler the process still serves; the worker and its pool must not leak.
    await worker.stop().catch(() => undefined);
    channels.close();
    await pool.end().catch(() => undefined);
    throw error;
  }
  return {
    async stop() {
      // Each part stops even if the one before failed: pg-boss's own bookkeeping at stop (it
      // marks its jobs in hand) needs the database, which may be gone or busy; a job it could not
      // mark expires and runs again, while the outbox worker and the pools must still close.
      // Within the shutdown hook's own 10 s bound, leaving time for the worker and the pools.
      await boss
        .stop({ graceful: true, wait: true, timeout: 6_000 })
        .catch((error: unknown) => log(`pg-boss did not stop cleanly: ${(error as Error).message}`));
      await worker.stop().catch((error: unknown) => log(`the delivery worker did not stop cleanly: ${String(error)}`));
      channels.close();
      await pool.end().catch(() => undefined);
    },
  };
}
