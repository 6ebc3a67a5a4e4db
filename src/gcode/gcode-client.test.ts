// The page's side of the G-code worker, with stand-in workers (Comlink over a MessageChannel): one worker
// per analysis, a warmed spare when asked for, cancel and crash as plain outcomes.
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerLike } from '../worker-bridge/worker-bridge.js';
import { GcodeClient } from './gcode-client.js';
import type { AnalysisOutcome, GcodeWorkerApi } from './gcode-worker-api.js';

let ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports) port.close();
  ports = [];
});

function standIns(analyse: () => Promise<AnalysisOutcome>) {
  const made: { terminated: boolean; warmUps: number; crash(message: string): void }[] = [];
  const create = (): WorkerLike => {
    const channel = new MessageChannel();
    ports.push(channel.port1, channel.port2);
    const errors = new Set<(event: unknown) => void>();
    const entry = { terminated: false, warmUps: 0, crash: (message: string) => errors.forEach((l) => l({ message })) };
    const api: GcodeWorkerApi = {
      warmUp: async () => {
        entry.warmUps++;
        return 1;
      },
      analyseBlob: () => analyse(),
      analyseStored: () => analyse(),
    };
    Comlink.expose(api, channel.port2 as unknown as Comlink.Endpoint);
    channel.port1.start();
    made.push(entry);
    return {
      postMessage: (message: unknown, transfer?: Transferable[]) => channel.port1.postMessage(message, (transfer ?? []) as never),
      addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
        if (type === 'error') errors.add(listener as (event: unknown) => void);
        else if (type !== 'messageerror') channel.port1.addEventListener(type, listener as never);
      },
      removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
        if (type === 'error') errors.delete(listener as (event: unknown) => void);
        else channel.port1.removeEventListener(type, listener as never);
      },
      terminate: () => {
        entry.terminated = true;
        channel.port1.close();
      },
    };
  };
  return { made, create };
}

const failed: AnalysisOutcome = { ok: false, error: { message: 'No moves in this file.', detail: 'empty' } };

describe('GcodeClient', () => {
  it('gives each analysis its own worker, stopped when it ends; a prepared spare is warm and replaced', async () => {
    const workers = standIns(async () => failed);
    const client = new GcodeClient(workers.create);
    expect(await client.analyseStored('a')).toEqual(failed);
    expect(workers.made).toHaveLength(1);
    expect(workers.made[0]!.terminated).toBe(true);
    client.prepare();
    await expect.poll(() => workers.made[1]?.warmUps).toBe(1);
    expect(await client.analyseStored('b')).toEqual(failed);
    expect(workers.made[1]!.terminated).toBe(true);
    await expect.poll(() => workers.made[2]?.warmUps).toBe(1);
    client.dispose();
    expect(workers.made[2]!.terminated).toBe(true);
  });

  it('cancelling terminates the worker and says so', async () => {
    const workers = standIns(() => new Promise<AnalysisOutcome>(() => undefined));
    const client = new GcodeClient(workers.create);
    const abort = new AbortController();
    const pending = client.analyseStored('a', { signal: abort.signal });
    abort.abort();
    expect(await pending).toEqual({ ok: false, error: { message: 'Opening the G-code file was cancelled.', detail: 'aborted' } });
    expect(workers.made[0]!.terminated).toBe(true);
  });

  it('a worker that dies (out of memory) gives a plain message, and the next file gets a new worker', async () => {
    const workers = standIns(() => new Promise<AnalysisOutcome>(() => undefined));
    const client = new GcodeClient(workers.create);
    const pending = client.analyseStored('huge');
    workers.made[0]!.crash('Out of memory');
    const outcome = await pending;
    expect(outcome).toEqual({ ok: false, error: { message: 'The G-code analysis stopped unexpectedly. The file may be too big for this computer’s memory.', detail: 'Out of memory' } });
    void client.analyseStored('next');
    expect(workers.made).toHaveLength(2);
    client.dispose();
  });

  it('a worker that cannot be created is reported, not thrown', async () => {
    const client = new GcodeClient(() => {
      throw new Error('Workers are blocked');
    });
    expect(await client.analyseStored('a')).toEqual({ ok: false, error: { message: 'The G-code preview could not start its background worker.', detail: 'Workers are blocked' } });
  });
});
