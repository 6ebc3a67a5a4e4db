// The worker bridge against stand-in workers: Comlink over a MessageChannel, with `error` and
// `messageerror` events fired by the test and `terminate` recorded.
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerBridge, WorkerCallAborted, WorkerCrashed, isWorkerCallAborted, isWorkerCrashed, type BridgeTimers, type IdlePolicy, type WorkerLike } from './worker-bridge.js';

interface EchoApi {
  echo(value: string): Promise<string>;
  hang(): Promise<never>;
  fail(message: string): Promise<never>;
  warmUp(): Promise<void>;
}

interface StandIn {
  worker: WorkerLike;
  terminated: boolean;
  warmUps: number;
  fire(type: 'error' | 'messageerror', event?: unknown): void;
  listeners(type: string): number;
}

let ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports) port.close();
  ports = [];
});

function standIns(options: { failCreate?: () => boolean } = {}) {
  const made: StandIn[] = [];
  const create = (): WorkerLike => {
    if (options.failCreate?.()) throw new Error('Workers are not allowed here');
    const channel = new MessageChannel();
    ports.push(channel.port1, channel.port2);
    const own = new Map<string, Set<(event: unknown) => void>>();
    const standIn: StandIn = {
      terminated: false,
      warmUps: 0,
      fire: (type, event = {}) => own.get(type)?.forEach((listener) => listener(event)),
      listeners: (type) => own.get(type)?.size ?? 0,
      worker: {
        postMessage: (message: unknown, transfer?: Transferable[]) => channel.port1.postMessage(message, (transfer ?? []) as never),
        addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
          if (type === 'error' || type === 'messageerror') {
            if (!own.has(type)) own.set(type, new Set());
            own.get(type)!.add(listener as (event: unknown) => void);
          } else channel.port1.addEventListener(type, listener as never);
        },
        removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
          if (type === 'error' || type === 'messageerror') own.get(type)?.delete(listener as (event: unknown) => void);
          else channel.port1.removeEventListener(type, listener as never);
        },
        terminate: () => {
          standIn.terminated = true;
          channel.port1.close();
          channel.port2.close();
        },
      },
    };
    channel.port1.start();
    const api: EchoApi = {
      echo: async (value) => `echo ${value}`,
      hang: () => new Promise<never>(() => undefined),
      fail: async (message) => {
        throw new Error(message);
      },
      warmUp: async () => {
        standIn.warmUps += 1;
      },
    };
    Comlink.expose(api, channel.port2 as unknown as Comlink.Endpoint);
    made.push(standIn);
    return standIn.worker;
  };
  return { made, create };
}

/** Timers the test fires by hand. */
function manualTimers() {
  let next = 1;
  const due = new Map<number, { fn: () => void; ms: number }>();
  const timers: BridgeTimers = {
    set: (fn, ms) => {
      const id = next++;
      due.set(id, { fn, ms });
      return id;
    },
    clear: (handle) => void due.delete(handle as number),
  };
  return {
    timers,
    armed: () => [...due.values()].map((t) => t.ms),
    fireAll: () => {
      const now = [...due.entries()];
      due.clear();
      for (const [, t] of now) t.fn();
    },
  };
}

function bridge(idle: IdlePolicy = { kind: 'keep' }, extra: { keepSpare?: boolean; failCreate?: () => boolean; timers?: BridgeTimers; warm?: boolean } = {}) {
  const workers = standIns(extra.failCreate ? { failCreate: extra.failCreate } : {});
  const b = new WorkerBridge<EchoApi>({
    name: 'test',
    create: workers.create,
    idle,
    keepSpare: extra.keepSpare ?? false,
    ...(extra.warm ? { onStart: (api: Comlink.Remote<EchoApi>) => api.warmUp() } : {}),
    ...(extra.timers ? { timers: extra.timers } : {}),
  });
  return { b, workers };
}

describe('WorkerBridge', () => {
  it('starts the worker on the first call only, and passes results and thrown errors through', async () => {
    const { b, workers } = bridge();
    expect(workers.made).toHaveLength(0);
    expect(b.running).toBe(false);
    expect(await b.call((api) => api.echo('a'))).toBe('echo a');
    expect(await b.call((api) => api.echo('b'))).toBe('echo b');
    expect(workers.made).toHaveLength(1);
    const thrown = await b.call((api) => api.fail('bad input')).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toContain('bad input');
    expect(isWorkerCrashed(thrown)).toBe(false);
    expect(b.running).toBe(true);
    b.terminate();
  });

  it('an abort rejects that call with an AbortError, terminates the worker, and the next call gets a fresh one', async () => {
    const { b, workers } = bridge();
    const abort = new AbortController();
    const pending = b.call((api) => api.hang(), { signal: abort.signal });
    const other = b.call((api) => api.hang());
    abort.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCallAborted);
    expect((error as Error).name).toBe('AbortError');
    // The other call on the same worker cannot finish either: it is told so, not left hanging.
    expect(isWorkerCallAborted(await other.catch((e: unknown) => e))).toBe(true);
    expect(workers.made[0]!.terminated).toBe(true);
    expect(workers.made[0]!.listeners('error')).toBe(0);
    expect(b.running).toBe(false);
    expect(await b.call((api) => api.echo('again'))).toBe('echo again');
    expect(workers.made).toHaveLength(2);
    b.terminate();
  });

  it('an already aborted signal rejects without starting a worker', async () => {
    const { b, workers } = bridge();
    await expect(b.call((api) => api.echo('x'), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(WorkerCallAborted);
    expect(workers.made).toHaveLength(0);
  });

  it('a crash fails every pending call with WorkerCrashed and tells the owner once', async () => {
    const { b, workers } = bridge();
    const crashes: WorkerCrashed[] = [];
    b.onCrash((crash) => crashes.push(crash));
    const calls = [b.call((api) => api.hang()), b.call((api) => api.hang()), b.call((api) => api.hang())];
    expect(b.pendingCalls).toBe(3);
    workers.made[0]!.fire('error', { message: 'Uncaught RangeError: Array buffer allocation failed' });
    workers.made[0]!.fire('error', { message: 'a second report' });
    const errors = await Promise.all(calls.map((call) => call.catch((e: unknown) => e)));
    for (const error of errors) {
      expect(error).toBeInstanceOf(WorkerCrashed);
      expect((error as WorkerCrashed).crashCause).toBe('error');
      expect((error as WorkerCrashed).detail).toBe('Uncaught RangeError: Array buffer allocation failed');
      expect((error as WorkerCrashed).workerName).toBe('test');
    }
    expect(crashes).toHaveLength(1);
    expect(workers.made[0]!.terminated).toBe(true);
    expect(b.running).toBe(false);
  });

  it('a message that cannot be read counts as a crash; an error event without a message still says something', async () => {
    const { b, workers } = bridge();
    const first = b.call((api) => api.hang());
    workers.made[0]!.fire('messageerror');
    const error = (await first.catch((e: unknown) => e)) as WorkerCrashed;
    expect(error.crashCause).toBe('messageerror');
    const second = b.call((api) => api.hang());
    workers.made[1]!.fire('error', {});
    expect(((await second.catch((e: unknown) => e)) as WorkerCrashed).detail).toBe('an uncaught error in the worker');
  });

  it('a worker that cannot be created is a start-failed crash, reported to the caller and the owner', async () => {
    let refuse = true;
    const { b } = bridge({ kind: 'keep' }, { failCreate: () => refuse });
    const crashes: WorkerCrashed[] = [];
    b.onCrash((crash) => crashes.push(crash));
    const error = (await b.call((api) => api.echo('x')).catch((e: unknown) => e)) as WorkerCrashed;
    expect(error).toBeInstanceOf(WorkerCrashed);
    expect(error.crashCause).toBe('start-failed');
    expect(error.detail).toBe('Workers are not allowed here');
    expect(crashes).toHaveLength(1);
    refuse = false;
    expect(await b.call((api) => api.echo('x'))).toBe('echo x');
    b.terminate();
  });

  it('terminate() rejects pending calls as aborted; a crash listener hears nothing of it', async () => {
    const { b, workers } = bridge();
    const crashes: WorkerCrashed[] = [];
    b.onCrash((crash) => crashes.push(crash));
    const pending = b.call((api) => api.hang());
    b.terminate();
    expect(await pending.catch((e: unknown) => e)).toBeInstanceOf(WorkerCallAborted);
    expect(crashes).toHaveLength(0);
    // An error event from the terminated worker arriving late changes nothing.
    workers.made[0]!.fire('error', { message: 'late' });
    expect(crashes).toHaveLength(0);
  });

  describe('idle policies', () => {
    it('stop-after: stops a worker left idle, re-arms while it must stay, never while a call runs', async () => {
      const clock = manualTimers();
      let mustStay = true;
      const { b, workers } = bridge({ kind: 'stop-after', ms: 30_000, unless: () => mustStay }, { timers: clock.timers });
      await b.call((api) => api.echo('x'));
      expect(clock.armed()).toEqual([30_000]);
      clock.fireAll();
      expect(b.running, 'kept while it must stay').toBe(true);
      expect(clock.armed()).toEqual([30_000]);
      mustStay = false;
      const running = b.call((api) => api.hang());
      expect(clock.armed(), 'no idle timer while a call runs').toEqual([]);
      workers.made[0]!.fire('error', { message: 'boom' });
      await running.catch(() => undefined);
      await b.call((api) => api.echo('y'));
      clock.fireAll();
      expect(b.running).toBe(false);
      expect(workers.made[1]!.terminated).toBe(true);
    });

    it('keep: the worker stays however long it idles', async () => {
      const clock = manualTimers();
      const { b } = bridge({ kind: 'keep' }, { timers: clock.timers });
      await b.call((api) => api.echo('x'));
      expect(clock.armed()).toEqual([]);
      expect(b.running).toBe(true);
      b.terminate();
    });

    it('fresh-per-call: each call gets its own worker, stopped when the call ends; a spare is warmed when asked for', async () => {
      const { b, workers } = bridge({ kind: 'fresh-per-call' }, { warm: true });
      expect(await b.call((api) => api.echo('1'))).toBe('echo 1');
      expect(workers.made[0]!.terminated).toBe(true);
      expect(b.running).toBe(false);
      b.keepSpare = true;
      await b.start();
      expect(workers.made).toHaveLength(2);
      expect(workers.made[1]!.warmUps).toBe(1);
      expect(await b.call((api) => api.echo('2'))).toBe('echo 2');
      expect(workers.made[1]!.terminated).toBe(true);
      // The spare for the next call is already there, warming up.
      expect(workers.made).toHaveLength(3);
      await expect.poll(() => workers.made[2]!.warmUps).toBe(1);
      b.keepSpare = false;
      b.terminate();
      expect(workers.made[2]!.terminated).toBe(true);
    });
  });

  it('watchdog: a worker that stops answering is declared crashed; one that answers is left alone; off while inactive', async () => {
    const clock = manualTimers();
    let active = false;
    let stuck = false;
    const workers = standIns();
    const b = new WorkerBridge<EchoApi>({
      name: 'test',
      create: workers.create,
      idle: { kind: 'keep' },
      timers: clock.timers,
      watchdog: { everyMs: 500, missedTicks: 3, active: () => active, probe: (api) => (stuck ? api.hang() : api.echo('ping')) },
    });
    const crashes: WorkerCrashed[] = [];
    b.onCrash((crash) => crashes.push(crash));
    const pending = b.call((api) => api.hang()).catch((e: unknown) => e);
    const tick = async (n: number) => {
      for (let i = 0; i < n; i++) {
        clock.fireAll();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    stuck = true;
    await tick(6);
    expect(crashes, 'not watched while inactive').toHaveLength(0);
    stuck = false;
    active = true;
    await tick(8);
    expect(crashes, 'a worker that answers is healthy').toHaveLength(0);
    stuck = true;
    await tick(3);
    expect(crashes).toHaveLength(0);
    await tick(1);
    expect(crashes).toHaveLength(1);
    expect(crashes[0]!.crashCause).toBe('unresponsive');
    expect(crashes[0]!.detail).toBe('no answer for 1.5 s — out of memory, or stuck');
    expect(await pending).toBe(crashes[0]);
    expect(workers.made[0]!.terminated).toBe(true);
    expect(clock.armed(), 'the dead worker is no longer watched').toEqual([]);
  });

  it('keepSpare: a replacement is warmed after an abort and after a crash, but a worker dying at start is not restarted forever', async () => {
    const { b, workers } = bridge({ kind: 'keep' }, { keepSpare: true, warm: true });
    await b.start();
    const abort = new AbortController();
    const aborted = b.call((api) => api.hang(), { signal: abort.signal });
    abort.abort();
    await aborted.catch(() => undefined);
    expect(workers.made).toHaveLength(2);
    await expect.poll(() => workers.made[1]!.warmUps).toBe(1);
    // It answered once, so after its crash a replacement starts at once.
    const crashed = b.call((api) => api.hang());
    workers.made[1]!.fire('error', { message: 'out of memory' });
    await crashed.catch(() => undefined);
    expect(workers.made).toHaveLength(3);
    // This one dies before it ever answers, and so does its replacement: then the bridge waits for a call.
    workers.made[2]!.fire('error', { message: 'failed to load' });
    expect(workers.made).toHaveLength(4);
    workers.made[3]!.fire('error', { message: 'failed to load' });
    expect(workers.made).toHaveLength(4);
    expect(b.running).toBe(false);
  });
});
