// Graceful shutdown hooks: anything that holds a resource for the life of the process (the
// database pool, a job worker) registers here, and the production server (scripts/serve.ts) runs
// them after it has stopped accepting connections and finished in-flight requests. Kept on
// globalThis because the server and Next's compiled route bundles load this module separately.
import { logger } from "@/lib/log";

export interface ShutdownHook {
  name: string;
  /** Lower runs first: job workers (stop taking work) before the pool they use. */
  order: number;
  run: () => Promise<void> | void;
}

const holder = globalThis as unknown as { resetboardShutdownHooks?: Map<string, ShutdownHook> };
const hooks = (holder.resetboardShutdownHooks ??= new Map<string, ShutdownHook>());

/** Registers (or replaces, by name) a hook; `order` 100 is the database pool, run last. */
export function onShutdown(name: string, run: ShutdownHook["run"], order = 50): void {
  hooks.set(name, { name, order, run });
}

/** Runs every hook once, in order, each bounded by `timeoutMs`; a failing hook does not stop the rest. */
export async function runShutdownHooks(timeoutMs = 10_000): Promise<void> {
  const log = logger("shutdown");
  const pending = [...hooks.values()].sort((a, b) => a.order - b.order);
  hooks.clear();
  for (const hook of pending) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(hook.run),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      log.info({ hook: hook.name }, "shutdown hook finished");
    } catch (error) {
      log.error({ hook: hook.name, err: error }, "shutdown hook failed");
    } finally {
      clearTimeout(timer);
    }
  }
}
