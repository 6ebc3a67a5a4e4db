// The one bridge between the page and a worker, shared by the printer, slicer, G-code and model workers.
// The worker starts on first use. Any call can take an AbortSignal: a call cannot be interrupted inside a
// worker, so aborting terminates the worker (the next call starts a fresh one). A worker that crashes, or
// whose messages cannot be read, fails every pending call with a `WorkerCrashed` and tells its owner, so
// nothing waits forever on an answer that will never come. An idle policy per worker says when a worker
// with nothing to do is stopped.
//
// The worker is typed as the small part of `Worker` the bridge uses, so this module needs no DOM and is
// tested in Node with a stand-in worker.

import * as Comlink from 'comlink';

/** What the bridge needs of a worker: Comlink's endpoint, plus `terminate`. */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

/** A call that was cancelled, or whose worker was stopped on purpose while it ran. */
export class WorkerCallAborted extends Error {
  override readonly name = 'AbortError';
  constructor(
    readonly workerName: string,
    message = `The ${workerName} task was cancelled.`,
  ) {
    super(message);
  }
}

export type WorkerCrashCause = 'error' | 'messageerror' | 'start-failed' | 'unresponsive';

/**
 * The worker died (uncaught error), could not start, sent a message that cannot be read, or stopped
 * answering its watchdog (out of memory, stuck in a loop: the browser does not always say).
 */
export class WorkerCrashed extends Error {
  override readonly name = 'WorkerCrashed';
  constructor(
    readonly workerName: string,
    readonly crashCause: WorkerCrashCause,
    /** What the browser said, for the log. */
    readonly detail: string,
  ) {
    super(`The ${workerName} worker stopped unexpectedly (${detail}).`);
  }
}

export function isWorkerCallAborted(error: unknown): error is WorkerCallAborted {
  return error instanceof WorkerCallAborted;
}

export function isWorkerCrashed(error: unknown): error is WorkerCrashed {
  return error instanceof WorkerCrashed;
}

/**
 * When a worker with no call pending is stopped:
 * - `keep`: only on `terminate()` (a worker holding state the page relies on: the printer, a warm engine);
 * - `stop-after`: after `ms` without calls, unless `unless()` says it must stay;
 * - `fresh-per-call`: as soon as its call ends, so its memory goes with it.
 */
export type IdlePolicy = { kind: 'keep' } | { kind: 'stop-after'; ms: number; unless?: () => boolean } | { kind: 'fresh-per-call' };

export interface BridgeTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: BridgeTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Asks a worker that must stay alive, every `everyMs`, whether it still answers. A probe left unanswered
 * for `missedTicks` ticks in a row means the worker is dead or stuck. Counted in ticks, not time, so a
 * page whose timers the browser slows down (a hidden tab) never mistakes its own lateness for the worker's.
 */
export interface Watchdog<Api> {
  /** A cheap call a healthy worker answers at once. */
  probe(api: Comlink.Remote<Api>): Promise<unknown>;
  everyMs: number;
  missedTicks: number;
  /** Whether to watch now (e.g. only while a printer is connected). */
  active?(): boolean;
}

export interface WorkerBridgeOptions<Api> {
  /** Names the worker in messages: "the slicer worker stopped unexpectedly". */
  name: string;
  create(): WorkerLike;
  idle: IdlePolicy;
  /** Runs on every new worker (a warm-up). Its failure is ignored: the next call reports the problem. */
  onStart?(api: Comlink.Remote<Api>): Promise<unknown> | void;
  /**
   * Start a replacement at once whenever a worker is stopped (abort, crash, end of a fresh-per-call
   * call), so the next call does not wait for start-up. After two workers in a row die without ever
   * answering, the next one waits for a call: a worker that dies at start would die over and over.
   */
  keepSpare?: boolean;
  watchdog?: Watchdog<Api>;
  timers?: BridgeTimers;
}

interface PendingCall {
  fail(error: Error): void;
}

interface Instance<Api> {
  worker: WorkerLike;
  remote: Comlink.Remote<Api>;
  pending: Set<PendingCall>;
  stopped: boolean;
  /** Whether it ever answered (a call or its warm-up settled). */
  answered: boolean;
  warm: Promise<void>;
  detach(): void;
  /** Watchdog ticks so far, and the tick its unanswered probe went out on (null: none outstanding). */
  ticks: number;
  probeSentAt: number | null;
  watchTimer: unknown;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export class WorkerBridge<Api> {
  readonly name: string;
  keepSpare: boolean;
  #instance: Instance<Api> | null = null;
  #idleTimer: unknown = null;
  /** Workers in a row that died without ever answering. */
  #crashesWithoutAnswer = 0;
  readonly #crashListeners = new Set<(crash: WorkerCrashed) => void>();
  readonly #timers: BridgeTimers;

  constructor(private readonly options: WorkerBridgeOptions<Api>) {
    this.name = options.name;
    this.keepSpare = options.keepSpare ?? false;
    this.#timers = options.timers ?? realTimers;
  }

  /** Whether a worker is running now. */
  get running(): boolean {
    return this.#instance !== null;
  }

  /** Calls waiting for the current worker. */
  get pendingCalls(): number {
    return this.#instance?.pending.size ?? 0;
  }

  /** Hears of every crash (after the pending calls were failed). Returns the unsubscribe function. */
  onCrash(listener: (crash: WorkerCrashed) => void): () => void {
    this.#crashListeners.add(listener);
    return () => this.#crashListeners.delete(listener);
  }

  /**
   * Starts the worker now (if it is not running) and settles once its warm-up has run. Never rejects: a
   * worker that cannot start is reported to the crash listeners and by the next call.
   */
  start(): Promise<void> {
    try {
      const instance = this.#ensure();
      this.#armIdle(instance);
      return instance.warm;
    } catch (error) {
      this.#notify(new WorkerCrashed(this.name, 'start-failed', describe(error)));
      return Promise.resolve();
    }
  }

  /**
   * Runs `use` against the worker's API. Rejects with `WorkerCallAborted` when `signal` aborts (the
   * worker is terminated), with `WorkerCrashed` when the worker dies or cannot start, and otherwise with
   * whatever the worker's method threw.
   */
  call<T>(use: (api: Comlink.Remote<Api>) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new WorkerCallAborted(this.name));
    let instance: Instance<Api>;
    try {
      instance = this.#ensure();
    } catch (error) {
      const crash = new WorkerCrashed(this.name, 'start-failed', describe(error));
      this.#notify(crash);
      return Promise.reject(crash);
    }
    this.#disarmIdle();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        instance.pending.delete(entry);
        signal?.removeEventListener('abort', onAbort);
        settle();
        this.#afterCall(instance);
      };
      const entry: PendingCall = { fail: (error) => finish(() => reject(error)) };
      const onAbort = (): void => {
        finish(() => reject(new WorkerCallAborted(this.name)));
        this.#stop(instance, new WorkerCallAborted(this.name, `The ${this.name} worker was restarted because another task was cancelled.`));
      };
      instance.pending.add(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
      let result: Promise<T>;
      try {
        result = use(instance.remote);
      } catch (error) {
        result = Promise.reject(error);
      }
      result.then(
        (value) => {
          this.#answered(instance);
          finish(() => resolve(value));
        },
        (error: unknown) => {
          this.#answered(instance);
          finish(() => reject(error));
        },
      );
    });
  }

  /** Stops the worker; pending calls reject with `WorkerCallAborted`. The next call starts a new one. */
  terminate(): void {
    this.#disarmIdle();
    const instance = this.#instance;
    if (instance) this.#stop(instance, new WorkerCallAborted(this.name, `The ${this.name} worker was stopped.`), { replace: false });
  }

  #ensure(): Instance<Api> {
    if (this.#instance) return this.#instance;
    const worker = this.options.create();
    const remote = Comlink.wrap<Api>(worker);
    const instance: Instance<Api> = {
      worker,
      remote,
      pending: new Set(),
      stopped: false,
      answered: false,
      warm: Promise.resolve(),
      detach: () => undefined,
      ticks: 0,
      probeSentAt: null,
      watchTimer: null,
    };
    const onError = (event: unknown): void => this.#crashed(instance, 'error', errorDetail(event, 'an uncaught error in the worker'));
    const onMessageError = (): void => this.#crashed(instance, 'messageerror', 'a message from the worker could not be read');
    worker.addEventListener('error', onError as EventListener);
    worker.addEventListener('messageerror', onMessageError as EventListener);
    instance.detach = () => {
      worker.removeEventListener('error', onError as EventListener);
      worker.removeEventListener('messageerror', onMessageError as EventListener);
      if (instance.watchTimer !== null) this.#timers.clear(instance.watchTimer);
      instance.watchTimer = null;
    };
    this.#instance = instance;
    this.#watch(instance);
    const warmUp = this.options.onStart;
    if (warmUp) {
      instance.warm = Promise.resolve()
        .then(() => warmUp(remote))
        .then(
          () => this.#answered(instance),
          () => undefined,
        );
    }
    return instance;
  }

  #watch(instance: Instance<Api>): void {
    const watchdog = this.options.watchdog;
    if (!watchdog || instance.stopped) return;
    instance.watchTimer = this.#timers.set(() => {
      instance.watchTimer = null;
      if (instance.stopped) return;
      instance.ticks++;
      if (!(watchdog.active?.() ?? true)) {
        instance.probeSentAt = null;
      } else if (instance.probeSentAt === null) {
        const sentAt = instance.ticks;
        instance.probeSentAt = sentAt;
        const answered = (): void => {
          if (instance.probeSentAt === sentAt) instance.probeSentAt = null;
          this.#answered(instance);
        };
        Promise.resolve()
          .then(() => watchdog.probe(instance.remote))
          .then(answered, answered);
      } else if (instance.ticks - instance.probeSentAt >= watchdog.missedTicks) {
        this.#crashed(instance, 'unresponsive', `no answer for ${formatSeconds(watchdog.missedTicks * watchdog.everyMs)} — out of memory, or stuck`);
        return;
      }
      this.#watch(instance);
    }, watchdog.everyMs);
  }

  #answered(instance: Instance<Api>): void {
    if (instance.stopped) return;
    instance.answered = true;
    this.#crashesWithoutAnswer = 0;
  }

  #crashed(instance: Instance<Api>, cause: WorkerCrashCause, detail: string): void {
    if (instance.stopped) return;
    const crash = new WorkerCrashed(this.name, cause, detail);
    this.#crashesWithoutAnswer = instance.answered ? 0 : this.#crashesWithoutAnswer + 1;
    this.#stop(instance, crash, { replace: this.#crashesWithoutAnswer < 2 });
    this.#notify(crash);
  }

  /** Terminates `instance`, fails its pending calls with `reason`, and starts a spare when asked to. */
  #stop(instance: Instance<Api>, reason: Error, { replace = true }: { replace?: boolean } = {}): void {
    if (instance.stopped) return;
    instance.stopped = true;
    instance.detach();
    instance.worker.terminate();
    if (this.#instance === instance) {
      this.#instance = null;
      this.#disarmIdle();
    }
    for (const call of [...instance.pending]) call.fail(reason);
    if (replace && this.keepSpare && !this.#instance) void this.start();
  }

  #afterCall(instance: Instance<Api>): void {
    if (instance.stopped || instance !== this.#instance || instance.pending.size > 0) return;
    if (this.options.idle.kind === 'fresh-per-call') this.#stop(instance, new WorkerCallAborted(this.name));
    else this.#armIdle(instance);
  }

  #armIdle(instance: Instance<Api>): void {
    const idle = this.options.idle;
    if (idle.kind !== 'stop-after' || instance.pending.size > 0) return;
    this.#disarmIdle();
    this.#idleTimer = this.#timers.set(() => {
      this.#idleTimer = null;
      if (instance !== this.#instance || instance.pending.size > 0) return;
      if (idle.unless?.()) this.#armIdle(instance);
      else this.#stop(instance, new WorkerCallAborted(this.name), { replace: false });
    }, idle.ms);
  }

  #disarmIdle(): void {
    if (this.#idleTimer !== null) this.#timers.clear(this.#idleTimer);
    this.#idleTimer = null;
  }

  #notify(crash: WorkerCrashed): void {
    for (const listener of this.#crashListeners) {
      try {
        listener(crash);
      } catch (error) {
        console.error(`A ${this.name} crash listener failed`, error);
      }
    }
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An ErrorEvent's message; a failed script load fires a plain Event with none. */
function errorDetail(event: unknown, fallback: string): string {
  const message = (event as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : fallback;
}
