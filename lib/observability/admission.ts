// Admission control for the production server: at most `concurrency` requests are handled at once,
// up to `queueLimit` more wait their turn in arrival order for at most `maxWaitMs`, and the rest
// are turned away at once. An open stream of requests above what the process can serve otherwise
// queues inside Node without bound: every request slows down together until the database pool's
// and the client's timeouts fail them after tens of seconds. Shed early, a request gets a fast
// "busy, retry" (503 with Retry-After) and the ones admitted keep their normal latency.

export type Admitted = { admitted: true; release: () => void };
export type Shed = { admitted: false; reason: "queue_full" | "waited_too_long" };

export interface AdmissionOptions {
  /** Requests handled at the same time. */
  concurrency: number;
  /** Requests that may wait for a slot; 0 sheds as soon as every slot is taken. */
  queueLimit: number;
  /** Longest a request waits for a slot before it is shed. */
  maxWaitMs: number;
}

interface Waiter {
  timer: NodeJS.Timeout;
  resolve: (outcome: Admitted | Shed) => void;
}

export class Admission {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly options: AdmissionOptions) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** A slot now, a slot after waiting in line, or "shed"; call `release` exactly once when done. */
  acquire(): Promise<Admitted | Shed> {
    if (this.running < this.options.concurrency) {
      this.running += 1;
      return Promise.resolve(this.admit());
    }
    if (this.waiting.length >= this.options.queueLimit) {
      return Promise.resolve({ admitted: false, reason: "queue_full" });
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          resolve({ admitted: false, reason: "waited_too_long" });
        }, this.options.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private admit(): Admitted {
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return; // a response can report "close" after an error already released it
        released = true;
        this.handOver();
      },
    };
  }

  /** The slot goes straight to the longest waiter, or back to the pool. */
  private handOver() {
    const next = this.waiting.shift();
    if (!next) {
      this.running -= 1;
      return;
    }
    clearTimeout(next.timer);
    next.resolve(this.admit());
  }
}
