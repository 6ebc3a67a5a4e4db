import { describe, expect, test } from 'vitest';
import { RecordingEndpoint } from './recording-endpoint.js';
import { VirtualWire } from './virtual-wire.js';

const line = (length: number): string => `${'x'.repeat(length - 1)}\n`;

describe('VirtualWire timing', () => {
  test('bytes take 10 bit times each at the baud rate', () => {
    const host = new RecordingEndpoint();
    const printer = new RecordingEndpoint();
    const wire = new VirtualWire(host, printer, { baud: 115200 });
    host.write(line(100));
    wire.runUntil(() => printer.lines.length === 1, { until: 1000 });
    expect(printer.lines[0].at).toBeCloseTo((100 * 10 * 1000) / 115200, 6);

    const fast = new RecordingEndpoint();
    const far = new RecordingEndpoint();
    const wire250 = new VirtualWire(fast, far, { baud: 250000 });
    fast.write(line(50));
    fast.write(line(50));
    wire250.runUntil(() => far.lines.length === 2, { until: 1000 });
    expect(far.lines[0].at).toBeCloseTo(2, 6);
    expect(far.lines[1].at).toBeCloseTo(4, 6);
  });

  test('host → printer latency delays the start of transmission', () => {
    const host = new RecordingEndpoint();
    const printer = new RecordingEndpoint();
    const wire = new VirtualWire(host, printer, { baud: 250000, hostToPrinter: { latencyMs: 1 } });
    host.write(line(25));
    wire.runUntil(() => printer.lines.length === 1, { until: 1000 });
    expect(printer.lines[0].at).toBeCloseTo(1 + 1, 6);
  });

  test('the adapter latency timer holds replies and delivers them in batches', () => {
    const host = new RecordingEndpoint();
    const printer = new RecordingEndpoint();
    const wire = new VirtualWire(host, printer, { baud: 115200, printerToHost: { latencyMs: 16 } });
    printer.write('ok\n');
    wire.runUntil(() => host.lines.length === 1, { until: 1000 });
    const byte = 10_000 / 115200;
    // The timer starts when the first byte reaches the adapter.
    expect(host.lines[0].at).toBeCloseTo(byte + 16, 6);

    // Three replies written 2 ms apart arrive together when the timer of the first fires.
    const start = wire.now;
    printer.wakeUpAt(start + 1, () => {
      printer.write('ok\n');
      printer.wakeUpAt(start + 3, () => {
        printer.write('ok\n');
        printer.wakeUpAt(start + 5, () => printer.write('ok\n'));
      });
    });
    wire.runUntil(() => host.lines.length === 4, { until: start + 1000 });
    const arrivals = host.lines.slice(1).map((l) => l.at);
    expect(new Set(arrivals).size).toBe(1);
    expect(arrivals[0]).toBeCloseTo(start + 1 + byte + 16, 6);
  });

  test('a full USB packet goes out before the latency timer', () => {
    const host = new RecordingEndpoint();
    const printer = new RecordingEndpoint();
    const wire = new VirtualWire(host, printer, { baud: 115200, printerToHost: { latencyMs: 16, packetSize: 62 } });
    printer.write(line(62));
    printer.write(line(10));
    wire.runUntil(() => host.lines.length === 2, { until: 1000 });
    const byte = 10_000 / 115200;
    expect(host.lines[0].at).toBeCloseTo(62 * byte, 6);
    // The next batch starts with the 63rd byte and waits for its own timer.
    expect(host.lines[1].at).toBeCloseTo(63 * byte + 16, 6);
  });

  test('runUntil stops at a time, on a predicate, or when nothing is left to happen', () => {
    const host = new RecordingEndpoint();
    const printer = new RecordingEndpoint();
    const wire = new VirtualWire(host, printer);
    expect(wire.runUntil(500)).toEqual({ reason: 'time', at: 500 });
    host.write(line(10));
    expect(wire.runUntil(() => false)).toMatchObject({ reason: 'idle' });
    expect(printer.lines).toHaveLength(1);
    host.write(line(10));
    expect(wire.runUntil(() => printer.lines.length === 2)).toMatchObject({ reason: 'predicate' });
    host.wakeUpAt(wire.now + 10_000, () => host.write(line(10)));
    expect(wire.runUntil(() => printer.lines.length === 3, { until: wire.now + 100 }).reason).toBe('time');
  });
});

describe('VirtualWire delivery', () => {
  test('a chunk never spans a line end, so a receiver reacts to each line at its own arrival time', () => {
    const host = new RecordingEndpoint();
    const printer = new RecordingEndpoint();
    const chunks: string[] = [];
    const wire = new VirtualWire(host, printer, {
      baud: 115200,
      onDeliver: (to, bytes) => {
        if (to === 'printer') chunks.push(new TextDecoder().decode(bytes));
      },
    });
    host.write('N1 G1 X1*0\nN2 G1 X2*0\nN3 G1 X3*0\n');
    wire.runUntil(() => false);
    expect(chunks).toEqual(['N1 G1 X1*0\n', 'N2 G1 X2*0\n', 'N3 G1 X3*0\n']);
    const byte = 10_000 / 115200;
    expect(printer.lines.map((l) => l.at)).toEqual([11 * byte, 22 * byte, 33 * byte].map((t) => expect.closeTo(t, 6)));
  });

  test('what the predicate makes an endpoint write leaves at once', () => {
    const host = new RecordingEndpoint();
    const printer = new RecordingEndpoint();
    const wire = new VirtualWire(host, printer, { baud: 100_000 });
    printer.wakeUpAt(5000, () => printer.write('tick\n'));
    let fed = false;
    wire.runUntil(() => {
      if (!fed) {
        host.write('fed\n');
        fed = true;
      }
      return printer.lines.length === 1;
    });
    expect(printer.lines[0]).toEqual({ at: expect.closeTo(0.4, 6), text: 'fed' });
  });
});

describe('VirtualWire line noise', () => {
  const payload = (n: number): string => {
    let text = '';
    for (let i = 0; i < n; i++) text += String.fromCharCode(65 + (i % 26));
    return text;
  };

  test('corruption flips bits in about the configured share of bytes, in one direction only', () => {
    const host = new RecordingEndpoint();
    const printer = new RecordingEndpoint();
    const wire = new VirtualWire(host, printer, {
      baud: 1_000_000,
      hostToPrinter: { faults: { corruptRate: 0.01 } },
      seed: 7,
    });
    const sent = payload(50_000);
    host.write(`${sent}\n`);
    printer.write(`${sent}\n`);
    wire.runUntil(() => false);
    const received = printer.lines.map((l) => l.text).join('\n');
    let differing = 0;
    for (let i = 0; i < Math.min(received.length, sent.length); i++) if (received[i] !== sent[i]) differing++;
    const corrupted = wire.stats.toPrinter.corrupted;
    expect(corrupted).toBeGreaterThan(350);
    expect(corrupted).toBeLessThan(650);
    // A flipped newline splits the text, so compare counts loosely.
    expect(differing).toBeGreaterThan(0);
    expect(wire.stats.toHost.corrupted).toBe(0);
    expect(host.lines.map((l) => l.text).join('\n')).toBe(sent);
  });

  test('dropped bytes never arrive but still take their time on the line', () => {
    const host = new RecordingEndpoint();
    const printer = new RecordingEndpoint();
    const wire = new VirtualWire(host, printer, {
      baud: 100_000,
      printerToHost: { faults: { dropRate: 0.02 } },
    });
    printer.write(`${payload(9999)}\n`);
    wire.runUntil(() => false);
    const dropped = wire.stats.toHost.dropped;
    expect(dropped).toBeGreaterThan(120);
    const text = host.lines.map((l) => `${l.text}\n`).join('');
    const sent = `${payload(9999)}\n`;
    // What arrived is what was sent minus the lost bytes, in order (the final newline may be among them).
    expect(text.length).toBeGreaterThanOrEqual(10_000 - dropped - 1);
    expect(text.length).toBeLessThanOrEqual(10_000 - dropped);
    let at = 0;
    for (const ch of text) {
      at = sent.indexOf(ch, at) + 1;
      expect(at).toBeGreaterThan(0);
    }
    // Lost bytes still occupied the line: the last byte left after 10,000 byte times.
    expect(wire.now).toBeGreaterThanOrEqual(10_000 * 0.1 - 0.2);
  });

  test('the same seed gives the same noise', () => {
    const run = (seed: number): string => {
      const host = new RecordingEndpoint();
      const printer = new RecordingEndpoint();
      const wire = new VirtualWire(host, printer, { hostToPrinter: { faults: { corruptRate: 0.05, dropRate: 0.05 } }, seed });
      host.write(`${payload(2000)}\n`);
      wire.runUntil(() => false);
      return printer.lines.map((l) => l.text).join('|');
    };
    expect(run(3)).toBe(run(3));
    expect(run(3)).not.toBe(run(4));
  });
});
