// `npm run bench:soak` (Chromium, production build of bench/soak/): a 500 000-line job stored in
// IndexedDB, printed through the app's printer worker, printer client and Web Serial transport. The
// transport's `navigator.serial` is the end-to-end tests' fake (e2e/support/fake-serial.ts): its port
// carries the bytes to the simulated firmware running here in Node, in real time, with no baud-rate delay,
// and the firmware's UART corrupts or loses 1 % of the bytes in each direction.
//
// Measures: exactly-once (the firmware's execution log equals the file's commands, in order, no gap, no
// repeat), the printer worker's V8 heap growth from the job's start to its end (both after a forced GC,
// read over the Chrome DevTools Protocol on the worker's own target), and the page's longest main-thread
// long task while the job ran. A job still running after SOAK_MAX_MINUTES (default 10) is stopped there and
// the part that ran is checked. Settings: SOAK_LINES, SOAK_FAULT_RATE, SOAK_RX_BUFFER, SOAK_BUFSIZE, SOAK_SEED.
// Last line:
// {"bench":"soak","results":[{"lines":…,"exactlyOnce":true|false,"heapGrowthMB":…,"longestTaskMs":…}]}
import { cpus, totalmem } from 'node:os';
import type { CDPSession, Page } from '@playwright/test';
import { SimulatedPrinter } from '../src/printer/simulator/index.js';
import type { SimulatorOptions } from '../src/printer/simulator/simulator-options.js';
import { fakePortInfo, installFakeSerialInPage, installFakeSerialInWorker, SimulatedSerialPeer } from '../e2e/support/fake-serial.js';
import { benchWorkFolder, driveHarness } from './browser-harness.js';
import type { SoakStatus } from './soak/bench-page.js';
import { soakCommands, soakLineCount } from './soak/soak-gcode.js';

const port = Number(process.env.SLICEPORT_BENCH_PORT ?? 4185);
const targetLines = Number(process.env.SOAK_LINES ?? 500_000);
/** Fault probability per byte, in each direction: 4/5 flipped bits, 1/5 lost bytes. */
const faultRate = Number(process.env.SOAK_FAULT_RATE ?? 0.01);
/**
 * At least this many clean bytes between two faults: longer than a framed line, so no line carries two
 * faults. Marlin's checksum is an XOR: two flips of the same bit in one line cancel out and pass unseen,
 * on real hardware too, and the test is about the host, not about the weakness of the checksum.
 */
const faultSpacing = 48;
const seed = Number(process.env.SOAK_SEED ?? 7);
/** Time box: a job still running after this is stopped and its executed part checked. */
const maxMinutes = Number(process.env.SOAK_MAX_MINUTES ?? 10);
/**
 * The board's serial receive buffer and command queue (RX_BUFFER_SIZE, BUFSIZE): Marlin's defaults unless
 * set; the printer profile tells the host the same buffer size. The fake port's relay to Node costs a few
 * milliseconds per round trip, so a 32-bit board's larger buffers (1024 bytes, 32 commands) are what let
 * a clean stream run at about a thousand lines per second.
 */
const rxBufferSize = Number(process.env.SOAK_RX_BUFFER ?? 128);
const bufsize = Number(process.env.SOAK_BUFSIZE ?? 4);

let moves = 1;
while (soakLineCount(moves) < targetLines) moves += Math.max(1, Math.floor((targetLines - soakLineCount(moves)) / 2));
const lines = soakLineCount(moves);

const firmwareOptions: SimulatorOptions = {
  seed,
  bootMs: 300,
  homingMs: 200,
  // A fast board: the stream is bound by the link, not by the simulated parser.
  commandTimeMs: 0.02,
  rxBufferSize,
  bufsize,
  plannerSlots: 64,
  faults: {
    rx: { corruptRate: faultRate * 0.8, dropRate: faultRate * 0.2, minBytesBetweenFaults: faultSpacing, seed },
    tx: { corruptRate: faultRate * 0.8, dropRate: faultRate * 0.2, minBytesBetweenFaults: faultSpacing, seed: seed + 1 },
  },
};
const peer = new SimulatedSerialPeer((now) => new SimulatedPrinter(firmwareOptions, now));
const printer = (): SimulatedPrinter => peer.firmware as SimulatedPrinter;

/** The printer worker's heap, through its own DevTools target (attached from the page's session). */
class WorkerHeap {
  private sessionId: string | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly cdp: CDPSession) {}

  static async attach(page: Page, urlPart: RegExp): Promise<WorkerHeap> {
    const cdp = await page.context().newCDPSession(page);
    const heap = new WorkerHeap(cdp);
    const attached = new Promise<void>((resolve) => {
      cdp.on('Target.attachedToTarget', (event) => {
        if (event.targetInfo.type === 'worker' && urlPart.test(`${event.targetInfo.url} ${event.targetInfo.title}`)) {
          heap.sessionId = event.sessionId;
          resolve();
        }
      });
    });
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id === undefined) return;
      const done = heap.pending.get(message.id);
      heap.pending.delete(message.id);
      done?.(message.error ? new Error(message.error.message) : message.result);
    });
    // Not flattened: messages to the worker go through this session, whatever Playwright's own does.
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    await Promise.race([attached, new Promise((_, reject) => setTimeout(() => reject(new Error('the printer worker target did not attach')), 10_000))]);
    return heap;
  }

  private async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const result = new Promise<unknown>((resolve) => this.pending.set(id, resolve));
    await this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId!, message: JSON.stringify({ id, method, params }) });
    const value = await result;
    if (value instanceof Error) throw value;
    return value as T;
  }

  /** Used V8 heap in bytes; after a full garbage collection when `collect`. */
  async used(collect: boolean): Promise<number> {
    if (collect) await this.call('HeapProfiler.collectGarbage');
    const usage = await this.call<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
    return usage.usedSize;
  }
}

interface SoakRun {
  status: SoakStatus;
  heapStartMB: number;
  heapEndMB: number;
  heapPeakMB: number;
  wallSeconds: number;
  timedOut: boolean;
}

const mb = (bytes: number) => bytes / 1024 / 1024;
let logStart = 0;

console.log(`Soak benchmark: ${lines.toLocaleString('en')} lines (${moves.toLocaleString('en')} moves) through the printer worker and Web Serial, ${Number((faultRate * 100).toPrecision(3))} % byte faults each way`);
peer.start();
const { result, chromiumVersion } = await (async () => {
  try {
    return await driveHarness('soak', { work: benchWorkFolder('soak'), port, files: {} }, async (page): Promise<SoakRun> => {
      page.setDefaultTimeout(0);
      // tsx keeps function names with a `__name` helper that the functions sent to the browser lack.
      const keepNames = 'globalThis.__name = (target) => target;';
      await page.addInitScript({ content: keepNames });
      await installFakeSerialInPage(page, peer);
      await page.reload();
      await page.waitForFunction(() => 'soakBench' in window);
      const workerSeen = page.waitForEvent('worker', { predicate: (w) => /printer/i.test(w.url()), timeout: 60_000 });
      const prepared = await page.evaluate((count) => window.soakBench.prepare(count), moves);
      const printerWorker = await workerSeen;
      await printerWorker.evaluate(keepNames);
      await installFakeSerialInWorker(printerWorker);
      const heap = await WorkerHeap.attach(page, /printer/i);
      const connected = await page.evaluate(([vendor, product, buffer]) => window.soakBench.connect(vendor, product, buffer), [fakePortInfo.usbVendorId, fakePortInfo.usbProductId, rxBufferSize] as const);
      if (!connected.ok) throw new Error(`connecting failed: ${connected.message}`);
      console.log(`stored ${(prepared.bytes / 1024 / 1024).toFixed(1)} MB of G-code; connected through the fake Web Serial port`);

      const heapStart = await heap.used(true);
      let heapPeak = heapStart;
      logStart = printer().executionLog.length;
      const wallStart = performance.now();
      const started = await page.evaluate(() => window.soakBench.start());
      if (!started.ok) throw new Error(`the job did not start: ${started.message}`);
      let status = await page.evaluate(() => window.soakBench.status());
      let lastReport = 0;
      while (status.phase === 'printing' && performance.now() - wallStart < maxMinutes * 60_000) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        status = await page.evaluate(() => window.soakBench.status());
        heapPeak = Math.max(heapPeak, await heap.used(false));
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          const seconds = (performance.now() - wallStart) / 1000;
          console.error(
            `  ${seconds.toFixed(0)} s: file line ${status.fileLine.toLocaleString('en')} of ${lines.toLocaleString('en')} (${(status.fileLine / seconds).toFixed(0)} lines/s), ${status.flowMode} mode, heap ${mb(heapPeak).toFixed(1)} MB peak, longest task ${status.longestTaskMs.toFixed(0)} ms`,
          );
        }
      }
      const wallSeconds = (performance.now() - wallStart) / 1000;
      const timedOut = status.phase === 'printing';
      const heapEnd = await heap.used(true);
      return { status, heapStartMB: mb(heapStart), heapEndMB: mb(heapEnd), heapPeakMB: mb(heapPeak), wallSeconds, timedOut };
    });
  } finally {
    peer.stop();
  }
})();

// Exactly once: from the job's own `M110 N0`, the firmware executed the file's commands, in order, once.
// A line whose `N` a fault turned into another letter (`N87 G1 …` → `L87 G1 …`) reaches the firmware as an
// unknown command, which Marlin refuses without doing anything; it is then resent. Such lines are counted,
// not executed.
const queued = printer().executionLog.slice(logStart).filter((entry) => entry.via === 'queue');
const refusedAsUnknown = queued.filter((entry) => entry.unknown).length;
const log = queued.filter((entry) => !entry.unknown).map((entry) => entry.command);
// Temperature polls and the `M400` fences the host puts before each layer (to resume at a layer) are the
// host's own; the file has neither.
const executed = log.slice(log.indexOf('M110 N0') + 1).filter((command) => command !== 'M105' && command !== 'M400');
const expected = soakCommands(moves);
const firstDifference = executed.findIndex((command, i) => command !== expected[i]);
// A time-boxed run is checked over what ran: the file's commands up to there, each once, in order.
const exactlyOnce = firstDifference === -1 && (result.timedOut ? executed.length > 0 : result.status.phase === 'done' && executed.length === expected.length);
const linesRun = result.timedOut ? result.status.fileLine : lines;
const counters = printer().counters;
const hostBytes = peer.bytesIn;

console.log(`\nmachine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 1024 ** 3)} GB, node ${process.version}, ${chromiumVersion}`);
console.log(
  `job ${result.timedOut ? `stopped by the ${maxMinutes}-minute time box at file line ${linesRun.toLocaleString('en')} of ${lines.toLocaleString('en')}` : (result.status.jobState ?? result.status.phase)}` +
    `${result.status.message ? ` (${result.status.message})` : ''}; flow control at the end: ${result.status.flowMode}; buffers ${rxBufferSize} bytes / ${bufsize} commands`,
);
if (result.status.notices.length) console.log(`last notices: ${result.status.notices.join(' | ')}`);
console.log(
  `faults: host→printer ${counters.rxBytesCorrupted + counters.rxBytesDropped} of ${hostBytes.toLocaleString('en')} bytes (${(((counters.rxBytesCorrupted + counters.rxBytesDropped) / Math.max(1, hostBytes)) * 100).toFixed(2)} %), ` +
    `printer→host ${counters.txBytesCorrupted + counters.txBytesDropped} bytes; resends requested ${counters.resendsRequested.toLocaleString('en')}; ` +
    `damaged lines refused as unknown commands ${refusedAsUnknown}`,
);
if (!exactlyOnce) {
  console.log(
    firstDifference >= 0
      ? `first difference at command ${firstDifference}: executed ${JSON.stringify(executed.slice(firstDifference, firstDifference + 3))}, file ${JSON.stringify(expected.slice(firstDifference, firstDifference + 3))}`
      : `executed ${executed.length} of ${expected.length} commands`,
  );
}
console.log('');
console.log('lines     wall time  lines/s  exactly once  worker heap start → end (peak)   growth   longest main-thread task  long tasks');
console.log(
  `${String(linesRun).padEnd(9)} ${`${(result.wallSeconds / 60).toFixed(1)} min`.padStart(9)}  ${(linesRun / result.wallSeconds).toFixed(linesRun / result.wallSeconds < 10 ? 2 : 0).padStart(7)}  ${String(exactlyOnce).padStart(12)}  ` +
    `${`${result.heapStartMB.toFixed(1)} → ${result.heapEndMB.toFixed(1)} MB (${result.heapPeakMB.toFixed(1)})`.padStart(30)}  ${`${(result.heapEndMB - result.heapStartMB).toFixed(1)} MB`.padStart(8)}  ${`${result.status.longestTaskMs.toFixed(0)} ms`.padStart(24)}  ${String(result.status.longTasks).padStart(10)}`,
);
console.log(
  '\nworker heap: the printer worker\'s used V8 heap after a forced GC, at the job\'s start and end (DevTools Runtime.getHeapUsage on\n' +
    'the worker target); peak: the largest reading between, without GC. Long tasks: the page\'s main thread (PerformanceObserver\n' +
    '"longtask"), where the printer client and, for this benchmark only, the fake serial port\'s relay to Node run.\n' +
    'Targets: exactly once, heap growth < 20 MB, no long task > 50 ms.',
);
console.log(
  JSON.stringify({
    bench: 'soak',
    results: [
      {
        lines: linesRun,
        exactlyOnce,
        heapGrowthMB: Number((result.heapEndMB - result.heapStartMB).toFixed(2)),
        longestTaskMs: Number(result.status.longestTaskMs.toFixed(1)),
      },
    ],
  }),
);
