// With WEB_CONCURRENCY > 1 the production server is several processes behind one port, and a
// scrape of GET /api/metrics reaches one of them at random. Its own counters would be a fraction
// of the truth that changes with every scrape, which breaks rate() and alerts. So the process that
// answers asks the primary, which collects every worker's registry over Node's IPC channel and
// sums them (prom-client's aggregation: counters and histograms add up, and so do the in-flight,
// queued and pool gauges, which are per process). A worker that was replaced takes its counts
// with it, as a restarted single process would.
import cluster, { type Worker } from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry, type Registry } from "prom-client";

const ASK = "resetboard:metrics:ask"; // worker → primary: "the whole cluster's, please"
const COLLECT = "resetboard:metrics:collect"; // primary → each worker: "yours, please"
const COLLECTED = "resetboard:metrics:collected"; // each worker → primary
const ANSWER = "resetboard:metrics:answer"; // primary → the asking worker

/** Longer than a worker needs to serialise its registry, shorter than a scrape's timeout. */
const COLLECT_TIMEOUT_MS = 2_000;

type Message =
  | { type: typeof ASK; id: string }
  | { type: typeof COLLECT; id: string }
  | { type: typeof COLLECTED; id: string; metrics: unknown[] }
  | { type: typeof ANSWER; id: string; text: string | null };

function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

// On globalThis: the server script and Next's compiled route bundle each load this module, and
// both must see the one listener and the one table of open questions.
const state = globalThis as unknown as {
  resetboardClusterMetrics?: { registry: Registry; asked: Map<string, (text: string | null) => void> };
};

/**
 * In a cluster worker: answers the primary's collection requests from `registry`, and routes the
 * primary's answers to `clusterMetricsText`. Called once by the server script before it serves.
 */
export function answerMetricsCollection(registry: Registry): void {
  if (!cluster.isWorker || state.resetboardClusterMetrics) return;
  const asked = new Map<string, (text: string | null) => void>();
  state.resetboardClusterMetrics = { registry, asked };
  process.on("message", (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === COLLECT) {
      void registry.getMetricsAsJSON().then((metrics) => process.send?.({ type: COLLECTED, id: message.id, metrics }));
    } else if (message.type === ANSWER) {
      asked.get(message.id)?.(message.text);
      asked.delete(message.id);
    }
  });
}

/**
 * The process-local metrics as Prometheus text: summed over every serving worker when this
 * process is one of a cluster's, this process's own otherwise; null when the primary did not
 * hand over the sum in time (the scrape then fails instead of showing a wrong total).
 */
export async function clusterMetricsText(registry: Registry): Promise<string | null> {
  const shared = state.resetboardClusterMetrics;
  if (!cluster.isWorker || !shared || !process.send) return registry.metrics();
  const id = randomUUID();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      shared.asked.delete(id);
      resolve(null);
    }, COLLECT_TIMEOUT_MS + 500);
    shared.asked.set(id, (text) => {
      clearTimeout(timer);
      resolve(text);
    });
    process.send!({ type: ASK, id });
  });
}

/**
 * In the primary: answers a worker's ASK by collecting from every serving worker (`workers`:
 * those that have listened, so they hear the request) and summing, or with null when one of
 * them did not answer within COLLECT_TIMEOUT_MS.
 */
export function serveClusterMetrics(workers: () => Worker[]): void {
  const collecting = new Map<string, { expected: number; received: unknown[][]; done: () => void }>();
  cluster.on("message", (from: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === COLLECTED) {
      const round = collecting.get(message.id);
      if (!round) return; // late: that round already answered
      round.received.push(message.metrics);
      if (round.received.length === round.expected) round.done();
      return;
    }
    if (message.type !== ASK) return;
    const live = workers().filter((w) => w.isConnected());
    const id = randomUUID();
    const received: unknown[][] = [];
    const answer = async () => {
      clearTimeout(timer);
      collecting.delete(id);
      let text: string | null = null;
      try {
        // All or nothing: a sum missing a worker would read as every counter going down.
        if (received.length === live.length) text = await AggregatorRegistry.aggregate(received).metrics();
      } catch {
        text = null;
      }
      if (from.isConnected()) from.send({ type: ANSWER, id: message.id, text } satisfies Message);
    };
    const timer = setTimeout(() => void answer(), COLLECT_TIMEOUT_MS);
    collecting.set(id, { expected: live.length, received, done: () => void answer() });
    for (const worker of live) worker.send({ type: COLLECT, id } satisfies Message);
  });
}
