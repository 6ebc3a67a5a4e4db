// The page's bridge to the slicer worker, with an in-process stand-in for the worker (Comlink over a
// MessageChannel): cancel terminates the worker and warms a replacement; a crash is a plain message.
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { SliceOutcome, SliceProgress, SliceRequest } from './slice-api.js';
import { SlicerClient } from './slicer-client.js';
import type { SlicerWorkerApi } from './slicer-worker-api.js';

interface FakeWorker {
  worker: Worker;
  terminated: boolean;
  warmUps: number;
  crash(message: string): void;
}

const request: SliceRequest = {
  machineDefinitionId: 'creality_ender3',
  settings: { global: {}, extruders: [{}] },
  meshes: [{ name: 'Cube', extruder: 0, stl: new ArrayBuffer(84) }],
};

function fakeWorkers(behaviour: (onProgress: (progress: SliceProgress) => void) => Promise<SliceOutcome>) {
  const made: FakeWorker[] = [];
  const ports: MessagePort[] = [];
  const factory = () => {
    const channel = new MessageChannel();
    ports.push(channel.port1, channel.port2);
    const errorListeners: ((event: { message: string }) => void)[] = [];
    const fake: FakeWorker = {
      terminated: false,
      warmUps: 0,
      crash: (message) => errorListeners.forEach((listener) => listener({ message })),
      worker: {
        postMessage: (message: unknown, transfer?: Transferable[]) => channel.port1.postMessage(message, transfer ?? []),
        addEventListener: (type: string, listener: (event: never) => void) => {
          if (type === 'error') errorListeners.push(listener as (event: { message: string }) => void);
          else channel.port1.addEventListener(type, listener as EventListener);
        },
        removeEventListener: (type: string, listener: EventListener) => channel.port1.removeEventListener(type, listener),
        terminate: () => {
          fake.terminated = true;
          channel.port1.close();
        },
      } as unknown as Worker,
    };
    channel.port1.start();
    const api: SlicerWorkerApi = {
      warmUp: async () => {
        fake.warmUps += 1;
      },
      slice: async (_request, onProgress) => behaviour(onProgress),
    };
    Comlink.expose(api, channel.port2 as unknown as Comlink.Endpoint);
    made.push(fake);
    return fake.worker;
  };
  return { made, factory, close: () => ports.forEach((port) => port.close()) };
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('SlicerClient', () => {
  it('passes progress and the outcome through', async () => {
    const workers = fakeWorkers(async (onProgress) => {
      await onProgress({ fraction: 0.5, stage: 'Slicing' });
      return { ok: true, result: { gcode: new ArrayBuffer(3), metadata: { printSeconds: 1, filamentMm: 2, filamentGrams: 3, layerCount: 4, bounds: null } } };
    });
    cleanup = workers.close;
    const client = new SlicerClient(workers.factory);
    const seen: SliceProgress[] = [];
    const outcome = await client.slice(request, { onProgress: (progress) => seen.push(progress) });
    expect(outcome.ok).toBe(true);
    expect(seen).toEqual([{ fraction: 0.5, stage: 'Slicing' }]);
    client.dispose();
  });

  it('cancels by terminating the worker and warms a replacement', async () => {
    const workers = fakeWorkers(() => new Promise<SliceOutcome>(() => undefined));
    cleanup = workers.close;
    const client = new SlicerClient(workers.factory);
    const abort = new AbortController();
    const pending = client.slice(request, { signal: abort.signal });
    abort.abort();
    const outcome = await pending;
    expect(outcome).toEqual({ ok: false, error: { code: 'cancelled', message: 'Slicing was cancelled.' } });
    expect(workers.made[0].terminated).toBe(true);
    expect(workers.made).toHaveLength(2);
    await expect.poll(() => workers.made[1].warmUps).toBe(1);
    expect(client.busy).toBe(false);
    client.dispose();
  });

  it('turns a crashed worker into a plain message and replaces it', async () => {
    const workers = fakeWorkers(() => new Promise<SliceOutcome>(() => undefined));
    cleanup = workers.close;
    const client = new SlicerClient(workers.factory);
    const pending = client.slice(request);
    workers.made[0].crash('Out of memory');
    const outcome = await pending;
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('engine-failure');
    expect(outcome.error.message).toMatch(/^The slicer stopped unexpectedly/);
    expect(outcome.error.detail).toBe('Out of memory');
    expect(workers.made[0].terminated).toBe(true);
    expect(workers.made).toHaveLength(2);
    client.dispose();
  });

  it('refuses a second slice while one runs', async () => {
    const workers = fakeWorkers(() => new Promise<SliceOutcome>(() => undefined));
    cleanup = workers.close;
    const client = new SlicerClient(workers.factory);
    void client.slice(request);
    const second = await client.slice({ ...request, meshes: [{ name: 'Cube', extruder: 0, stl: new ArrayBuffer(84) }] });
    expect(second.ok).toBe(false);
    client.dispose();
  });
});
