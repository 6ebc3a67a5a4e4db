// Writes a record that keeps changing (a running job's history record with its checkpoint) without
// ever holding up the print: one write at a time, and while one is under way only the newest version of
// each record waits, so a slow disk delays checkpoints but never queues them up or writes an older one
// last. Different records (the job that just ended, the next one) are all written, in order.

export class LatestWinsWriter<T> {
  private inFlight = false;
  private readonly waiting = new Map<string, T>();
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly keyOf: (value: T) => string,
    private readonly write: (value: T) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues `value` to be written; returns at once. */
  submit(value: T): void {
    if (this.inFlight) {
      const key = this.keyOf(value);
      // Re-inserted so the newest version keeps its record's place behind the others.
      this.waiting.delete(key);
      this.waiting.set(key, value);
      return;
    }
    this.run(value);
  }

  /** Resolves once nothing is being written or waiting (for tests and orderly shutdown). */
  idle(): Promise<void> {
    if (!this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private run(value: T): void {
    this.inFlight = true;
    let attempt: Promise<void>;
    try {
      attempt = this.write(value);
    } catch (e) {
      attempt = Promise.reject(e);
    }
    attempt
      .catch((e: unknown) => this.onError(e))
      .finally(() => {
        this.inFlight = false;
        const next = this.waiting.entries().next();
        if (!next.done) {
          this.waiting.delete(next.value[0]);
          this.run(next.value[1]);
        }
        else {
          const w = this.idleWaiters;
          this.idleWaiters = [];
          for (const f of w) f();
        }
      });
  }
}
