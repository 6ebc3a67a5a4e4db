// The printer session when its worker dies: the page's client behind the real worker bridge, with a
// stand-in worker (Comlink over a MessageChannel) whose `error` event the test fires.
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { genericPrinterProfile } from '../printer-panel/default-profile.js';
import { WorkerBridge, type WorkerLike } from '../worker-bridge/worker-bridge.js';
import type { JobProgress, Outcome, PrinterEvent, PrinterSnapshot, SerialChoice, TransportChoice } from './link-api.js';
import { PrinterClient, bridgedPrinterWorker, emptySnapshot, workerCrashedCode, type PrinterWorkerApi } from './printer-client.js';
import type { PortStopResult } from './port-emergency-stop.js';

const never = <T>() => new Promise<T>(() => undefined);

class StandInLink implements PrinterWorkerApi {
  listener: ((events: PrinterEvent[]) => void) | undefined;
  calls: string[] = [];
  async connect(choice: TransportChoice): Promise<Outcome> {
    this.calls.push(`connect:${choice.kind}`);
    return { ok: true };
  }
  async disconnect() {
    this.calls.push('disconnect');
  }
  async send(command: string): Promise<Outcome> {
    this.calls.push(`send:${command}`);
    return { ok: true };
  }
  async startJob(): Promise<Outcome> {
    return { ok: true };
  }
  /** A worker busy elsewhere: the pause never gets an answer before the crash. */
  pause = () => never<Outcome>();
  async resume(): Promise<Outcome> {
    return { ok: true };
  }
  cancel = () => never<Outcome>();
  async emergencyStop(): Promise<Outcome> {
    this.calls.push('estop');
    return { ok: true };
  }
  async answerPrompt(): Promise<Outcome> {
    return { ok: true };
  }
  async subscribe(listener: (events: PrinterEvent[]) => void) {
    this.listener = listener;
  }
  async snapshot(): Promise<PrinterSnapshot> {
    return { ...emptySnapshot() };
  }
}

let ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports) port.close();
  ports = [];
});

function printerWorkers() {
  const made: { link: StandInLink; crash(message: string): void; terminated: boolean }[] = [];
  const create = (): WorkerLike => {
    const channel = new MessageChannel();
    ports.push(channel.port1, channel.port2);
    const errorListeners = new Set<(event: unknown) => void>();
    const link = new StandInLink();
    const entry = { link, terminated: false, crash: (message: string) => errorListeners.forEach((l) => l({ message })) };
    Comlink.expose(link, channel.port2 as unknown as Comlink.Endpoint);
    channel.port1.start();
    made.push(entry);
    return {
      postMessage: (message: unknown, transfer?: Transferable[]) => channel.port1.postMessage(message, (transfer ?? []) as never),
      addEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
        if (type === 'error') errorListeners.add(listener as (event: unknown) => void);
        else if (type !== 'messageerror') channel.port1.addEventListener(type, listener as never);
      },
      removeEventListener: (type: string, listener: EventListenerOrEventListenerObject) => {
        if (type === 'error') errorListeners.delete(listener as (event: unknown) => void);
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

const job: JobProgress = {
  jobId: 'job-1',
  gcodeId: 'g-1',
  fileName: 'benchy.gcode',
  state: 'printing',
  bytesSent: 5000,
  totalBytes: 10000,
  linesSent: 400,
  fileLine: 420,
  startedAt: 1,
  elapsedMs: 60_000,
  filamentUsedMm: 800,
};

async function printingClient(choice: TransportChoice = { kind: 'simulator' }) {
  const workers = printerWorkers();
  const bridge = new WorkerBridge<PrinterWorkerApi>({ name: 'printer', create: workers.create, idle: { kind: 'keep' } });
  const interrupted: { job: JobProgress; reason: string }[] = [];
  const portStops: SerialChoice[] = [];
  const client = new PrinterClient(bridgedPrinterWorker(bridge), undefined, {
    recordInterruptedJob: async (j, reason) => void interrupted.push({ job: j, reason }),
    stopThroughPort: async (c): Promise<PortStopResult> => {
      portStops.push(c);
      return { ok: true, said: 'Port re-opened; M112 sent.' };
    },
  });
  expect((await client.connect(choice, genericPrinterProfile())).ok).toBe(true);
  workers.made[0]!.link.listener!([{ type: 'firmware', firmware: { name: 'Marlin 2.1', fields: {}, capabilities: {} } }, { type: 'state', state: 'printing' }, { type: 'job', job }]);
  await expect.poll(() => client.mirror.snapshot.job?.state).toBe('printing');
  expect(client.mirror.snapshot.firmware?.name).toBe('Marlin 2.1');
  return { client, workers, interrupted, portStops };
}

describe('PrinterClient when the printer worker dies', () => {
  it('fails the pending pause in words, shows the crash, marks the job interrupted, and records it', async () => {
    const { client, workers, interrupted } = await printingClient();
    const pause = client.pause();
    const cancel = client.cancel();
    workers.made[0]!.crash('Uncaught Error: out of memory');
    const [paused, cancelled] = await Promise.all([pause, cancel]);
    for (const outcome of [paused, cancelled]) {
      expect(outcome.ok).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.error.code).toBe(workerCrashedCode);
      expect(outcome.error.message).toBe('The printer connection stopped unexpectedly (Uncaught Error: out of memory).');
    }
    const snapshot = client.mirror.snapshot;
    expect(snapshot.state).toBe('error');
    expect(snapshot.reason).toMatch(/^The printer connection stopped unexpectedly \(Uncaught Error: out of memory\)\. The print was interrupted\./);
    expect(snapshot.job?.state).toBe('interrupted');
    expect(snapshot.firmware, 'a new connection is offered').toBeUndefined();
    expect(client.mirror.lastError?.code).toBe(workerCrashedCode);
    expect(client.crash?.job?.jobId).toBe('job-1');
    expect(interrupted).toEqual([{ job, reason: snapshot.reason }]);
    expect(workers.made[0]!.terminated).toBe(true);
  });

  it('refuses further intents at once without starting a worker; the emergency stop still answers', async () => {
    const { client, workers } = await printingClient();
    workers.made[0]!.crash('boom');
    await expect.poll(() => client.mirror.snapshot.state).toBe('error');
    const sent = await client.send('G28');
    expect(sent.ok).toBe(false);
    if (!sent.ok) expect(sent.error.message).toMatch(/Reconnect to the printer first/);
    expect(client.mirror.log.visible({ hideTemperatures: false, hidePlainOks: false }, 10).at(-1)?.text).toMatch(/^G28: The printer connection stopped unexpectedly/);
    const stop = await client.emergencyStop();
    expect(stop).toEqual({ ok: true, said: expect.stringMatching(/simulated printer stopped together with its connection/) });
    expect(workers.made).toHaveLength(1);
    expect(await client.simulatorLog()).toBeNull();
  });

  it('with a USB printer, the emergency stop goes through the page to the same port', async () => {
    const usb: SerialChoice = { kind: 'serial', baudRate: 250000, usbVendorId: 0x1a86, usbProductId: 0x7523, portIndex: 0 };
    const { client, workers, portStops } = await printingClient(usb);
    workers.made[0]!.crash('boom');
    const stop = await client.emergencyStop();
    expect(stop).toEqual({ ok: true, said: 'Port re-opened; M112 sent.' });
    expect(portStops).toEqual([usb]);
    expect(workers.made[0]!.link.calls).not.toContain('estop');
  });

  it('reconnecting starts a fresh worker, listens to it again, and forgets the crash', async () => {
    const { client, workers } = await printingClient();
    workers.made[0]!.crash('boom');
    await expect.poll(() => client.mirror.snapshot.state).toBe('error');
    expect((await client.connect({ kind: 'simulator' }, genericPrinterProfile())).ok).toBe(true);
    expect(workers.made).toHaveLength(2);
    expect(client.crash).toBeUndefined();
    workers.made[1]!.link.listener!([{ type: 'state', state: 'idle' }]);
    await expect.poll(() => client.mirror.snapshot.state).toBe('idle');
    expect((await client.emergencyStop()).ok).toBe(true);
    expect(workers.made[1]!.link.calls).toContain('estop');
  });

  it('disconnecting after a crash only clears the page', async () => {
    const { client, workers } = await printingClient();
    workers.made[0]!.crash('boom');
    await expect.poll(() => client.mirror.snapshot.state).toBe('error');
    await client.disconnect();
    expect(client.mirror.snapshot.state).toBe('disconnected');
    expect(client.crash).toBeUndefined();
    expect(workers.made).toHaveLength(1);
  });

  it('a worker lost before any connection is not an alarm: the next call starts another', async () => {
    const workers = printerWorkers();
    const bridge = new WorkerBridge<PrinterWorkerApi>({ name: 'printer', create: workers.create, idle: { kind: 'keep' } });
    const client = new PrinterClient(bridgedPrinterWorker(bridge));
    await client.start();
    workers.made[0]!.crash('failed to load');
    expect(client.crash).toBeUndefined();
    expect(client.mirror.snapshot.state).toBe('disconnected');
    expect((await client.connect({ kind: 'simulator' }, genericPrinterProfile())).ok).toBe(true);
    expect(workers.made).toHaveLength(2);
  });
});
