import { describe, expect, it } from 'vitest';
import type { Outcome, PrinterEvent, PrinterLinkApi, PrinterSnapshot, TransportChoice } from './link-api.js';
import { PrinterClient, PrinterMirror, dangerousCommandsCode, emptySnapshot, type Claimer } from './printer-client.js';
import { findDangerousLines } from './dangerous-commands.js';
import { genericPrinterProfile } from '../printer-panel/default-profile.js';

class FakeWorker implements PrinterLinkApi {
  listener: ((events: PrinterEvent[]) => void) | undefined;
  calls: string[] = [];
  sendResult: Outcome = { ok: true };
  /** A call that never resolves, as a worker busy with a slow request would look. */
  hang = new Promise<Outcome>(() => {});
  async connect(choice: TransportChoice): Promise<Outcome> {
    this.calls.push(`connect:${choice.kind}`);
    return { ok: true };
  }
  async disconnect() {
    this.calls.push('disconnect');
  }
  async send(command: string) {
    this.calls.push(`send:${command}`);
    return this.sendResult;
  }
  startJob(id: string) {
    this.calls.push(`start:${id}`);
    return this.hang;
  }
  async pause() {
    return { ok: true } as const;
  }
  async resume() {
    return { ok: true } as const;
  }
  async cancel() {
    return { ok: true } as const;
  }
  async emergencyStop() {
    this.calls.push('estop');
    return { ok: true } as const;
  }
  async answerPrompt() {
    return { ok: true } as const;
  }
  async subscribe(listener: (events: PrinterEvent[]) => void) {
    this.listener = listener;
  }
  async snapshot(): Promise<PrinterSnapshot> {
    return { ...emptySnapshot(), state: 'idle', temperatures: [{ heater: 'T0', current: 21, target: 0 }] };
  }
}

describe('PrinterMirror', () => {
  it('folds events into the snapshot, the log and the chart data', () => {
    const mirror = new PrinterMirror({ logCapacity: 3 });
    let renders = 0;
    mirror.subscribe(() => renders++);
    mirror.apply([
      { type: 'state', state: 'connecting' },
      { type: 'state', state: 'idle' },
      { type: 'firmware', firmware: { name: 'Marlin 2.1', fields: {}, capabilities: { EMERGENCY_PARSER: true } } },
      { type: 'temperatures', at: 1000, readings: [{ heater: 'B', current: 20, target: 0 }, { heater: 'T0', current: 22, target: 200 }] },
      { type: 'temperatures', at: 2000, readings: [{ heater: 'T0', current: 30, target: 200 }] },
      { type: 'log', lines: [1, 2, 3, 4].map((i) => ({ at: i, direction: 'received' as const, text: `line ${i}` })) },
      { type: 'prompt', prompt: { text: 'Filament runout', buttons: ['Continue'] } },
      { type: 'error', error: { code: 'x', message: 'Heating failed', fatal: true } },
    ]);
    expect(renders).toBe(1);
    expect(mirror.snapshot.state).toBe('idle');
    expect(mirror.snapshot.firmware?.name).toBe('Marlin 2.1');
    expect(mirror.snapshot.temperatures).toEqual([
      { heater: 'T0', current: 30, target: 200 },
      { heater: 'B', current: 20, target: 0 },
    ]);
    // Chart samples are stamped on arrival; two reports within a second share one sample, the latest.
    expect(mirror.temperatures.sampleCount('T0')).toBe(1);
    expect(mirror.temperatures.series(Date.now(), 10).find((s) => s.heater === 'T0')?.latest).toEqual({ current: 30, target: 200 });
    expect(mirror.log.all().map((l) => l.text)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(mirror.snapshot.prompt?.buttons).toEqual(['Continue']);
    expect(mirror.notices.at(-1)?.text).toBe('Heating failed');
    mirror.apply([{ type: 'state', state: 'disconnected' }]);
    expect(mirror.snapshot.prompt).toBeNull();
  });
});

describe('PrinterClient', () => {
  it('mirrors the worker from its snapshot and events', async () => {
    const worker = new FakeWorker();
    const client = new PrinterClient(worker);
    await client.start();
    expect(client.mirror.snapshot.state).toBe('idle');
    worker.listener!([{ type: 'state', state: 'printing' }]);
    expect(client.mirror.snapshot.state).toBe('printing');
  });

  it('sends the emergency stop even while an earlier request is still pending', async () => {
    const worker = new FakeWorker();
    const client = new PrinterClient(worker);
    void client.startJob('g1');
    const stop = await client.emergencyStop();
    expect(stop.ok).toBe(true);
    expect(worker.calls).toEqual(['start:g1', 'estop']);
  });

  it('records terminal commands for ↑/↓ and shows refusals in the terminal', async () => {
    const worker = new FakeWorker();
    const client = new PrinterClient(worker);
    await client.sendFromTerminal(' M115 ');
    worker.sendResult = { ok: false, error: { code: 'limit', message: 'Above the hotend limit of 275 °C', fatal: false } };
    const refused = await client.sendFromTerminal('M104 S400');
    expect(refused.ok).toBe(false);
    expect(client.commandHistory.list()).toEqual(['M115', 'M104 S400']);
    expect(client.mirror.log.all().at(-1)).toMatchObject({ direction: 'error', text: 'M104 S400: Above the hotend limit of 275 °C' });
  });

  it('refuses to connect to a printer another tab owns, and releases on disconnect', async () => {
    const held = new Set<string>();
    let released = 0;
    const claimer: Claimer = {
      async claim(choice) {
        if (held.has(choice.kind)) return { ok: false, ownerDescription: 'The tab "Sliceport" is printing cube.gcode (40%).' };
        held.add(choice.kind);
        return { ok: true, release: () => (held.delete(choice.kind), released++) };
      },
    };
    const first = new PrinterClient(new FakeWorker(), claimer);
    const second = new PrinterClient(new FakeWorker(), claimer);
    const profile = genericPrinterProfile(0);
    expect((await first.connect({ kind: 'simulator' }, profile)).ok).toBe(true);
    const refused = await second.connect({ kind: 'simulator' }, profile);
    expect(refused).toMatchObject({ ok: false, error: { code: 'printer-owned-elsewhere', message: expect.stringContaining('printing cube.gcode') } });
    await first.disconnect();
    expect(released).toBe(1);
    expect((await second.connect({ kind: 'simulator' }, profile)).ok).toBe(true);
  });

  it('asks about dangerous terminal commands; an M500 is one only after an M502 was sent this connection', async () => {
    const worker = new FakeWorker();
    const client = new PrinterClient(worker);
    expect(client.terminalDanger('M997')?.code).toBe('M997');
    expect(client.terminalDanger('M500')).toBeNull();
    worker.sendResult = { ok: false, error: { code: 'busy', message: 'Busy', fatal: false } };
    await client.sendFromTerminal('M502');
    expect(client.terminalDanger('M500'), 'an M502 that was not sent does not count').toBeNull();
    worker.sendResult = { ok: true };
    await client.sendFromTerminal('M502');
    expect(client.terminalDanger(' M500 ')?.code).toBe('M502+M500');
    await client.connect({ kind: 'simulator' }, genericPrinterProfile(0));
    expect(client.terminalDanger('M500'), 'a new connection starts from the saved settings').toBeNull();
  });

  it('asks before printing a file with dangerous commands, naming the lines; starts once confirmed', async () => {
    const worker = new FakeWorker();
    worker.startJob = async (id: string) => {
      worker.calls.push(`start:${id}`);
      return { ok: true };
    };
    const files: Record<string, string[]> = { risky: ['G28', 'M502', 'M500', 'M997'], plain: ['G28', 'G1 X1'] };
    const client = new PrinterClient(worker, undefined, { findDangerousLines: async (id) => findDangerousLines(files[id]!) });
    const refused = await client.startJob('risky');
    expect(refused).toMatchObject({ ok: false, error: { code: dangerousCommandsCode } });
    if (!refused.ok) {
      expect(refused.error.message).toContain('M502+M500 (line 3)');
      expect(refused.error.message).toContain('M997 (line 4)');
    }
    expect(worker.calls).toEqual([]);
    expect((await client.startJob('risky', { dangerousConfirmed: true })).ok).toBe(true);
    expect((await client.startJob('plain')).ok).toBe(true);
    expect(worker.calls).toEqual(['start:risky', 'start:plain']);
  });

  it('turns a worker that throws into a readable error', async () => {
    const worker = new FakeWorker();
    worker.pause = async () => {
      throw new Error('worker gone');
    };
    const client = new PrinterClient(worker);
    expect(await client.pause()).toMatchObject({ ok: false, error: { message: 'The printer link did not answer that request.', detail: 'worker gone' } });
  });
});
