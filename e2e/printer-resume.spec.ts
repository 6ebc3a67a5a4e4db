// Resuming an interrupted print on the simulated printer behind the real Web Serial transport: the cable
// is pulled (or the tab killed) mid-print, the printer comes back reset, and the print resumes from the
// layer the checkpoint names. What the firmware runs after the resume point must be the resume's preamble
// followed by the file from that layer on; before the first resumed extrusion the firmware must stand
// where the file had put it.

import { expect, test, type Page } from '@playwright/test';
import { SimulatedPrinter } from '../src/printer/simulator/index.js';
import { LayerIndexBuilder } from '../src/printer/resume/layer-index.js';
import { PrintState } from '../src/printer/resume/print-state.js';
import { commandsFromLayer, layeredPrint } from '../src/printer/testing/layered-print.js';
import { installFakeSerialInPage, installFakeSerialInWorker, SimulatedSerialPeer } from './support/fake-serial.js';
import { withFakeUsbPrinter } from './support/fake-usb-printer.js';
import { storeGcode } from './support/library-fixture.js';
import { chooseFile, openPrinterView } from './support/printer-page.js';

const firmwareOptions = { bootMs: 300, homingMs: 300, thermal: { hotend: { timeConstantS: 1 }, bed: { timeConstantS: 1 }, residencyMs: 300 } };

interface Executed {
  command: string;
  position: { x: number; y: number; z: number; e: number };
}

/** Every board the peer creates (one per opening of the port), each command logged with the position after it. */
function tracedBoards(): { make: (now: number) => SimulatedPrinter; traces: Executed[][] } {
  const traces: Executed[][] = [];
  const make = (now: number): SimulatedPrinter => {
    const printer = new SimulatedPrinter(firmwareOptions, now);
    const trace: Executed[] = [];
    traces.push(trace);
    // Test hook: the firmware logs each command once it has run it; its position is then up to date.
    const hooked = printer as unknown as { log: (line: number | null, command: string, ...rest: unknown[]) => void };
    const original = hooked.log.bind(printer);
    hooked.log = (line, command, ...rest) => {
      original(line, command, ...rest);
      trace.push({ command, position: printer.currentPosition });
    };
    return printer;
  };
  return { make, traces };
}

const print = layeredPrint({ layers: 6, movesPerLayer: 16, markers: 'cura', zHop: 0.4, feed: 6000 });
const fixture = { name: 'e2e-resume.gcode', text: print.text, commands: print.commands };
const bytes = new TextEncoder().encode(print.text);
const index = (() => {
  const b = new LayerIndexBuilder();
  b.feed(bytes);
  return b.finish();
})();


/** Where the file has put the printer just before the first extrusion of `layer`. */
function fileStateBeforeFirstExtrusion(layer: number): PrintState {
  const start = index.layers[layer]!;
  const s = new PrintState(start.state);
  const lines = print.text.split('\n');
  for (let l = start.line; ; l++) {
    const c = lines[l - 1]!.replace(/;.*$/, '').trim();
    if (/^G1 X[\d.]+ Y[\d.]+ E/.test(c)) return s;
    s.apply(c);
  }
}

interface StoredCheckpoint {
  id: string;
  outcome: string;
  checkpoint?: { finished: { layer: number } | null; layer: number; zLow: number };
  resumedFrom?: { jobId: string; layer: number };
}

async function jobRecords(page: Page): Promise<StoredCheckpoint[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sliceport');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = await new Promise<StoredCheckpoint[]>((resolve, reject) => {
      const request = db.transaction('jobs').objectStore('jobs').getAll();
      request.onsuccess = () => resolve(request.result as StoredCheckpoint[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return all;
  });
}

/** Ticks every assumption in the open resume dialog, reads its preamble, and starts the resume. */
async function confirmAndResume(page: Page, layer: number): Promise<string[]> {
  const dialog = page.getByTestId('resume-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('resume-layer')).toHaveValue(String(layer));
  await expect(dialog.getByTestId('resume-steps')).toContainText('Home X and Y only');
  const start = dialog.getByTestId('resume-start');
  await expect(start).toHaveText(`Resume from layer ${layer + 1}`);
  for (const box of ['part', 'xy', 'z']) {
    await dialog.getByTestId(`resume-confirm-${box}`).check();
    await expect(start).toBeDisabled();
  }
  // Keyboard: the last assumption is ticked with the space bar.
  await dialog.getByTestId('resume-confirm-heat').focus();
  await page.keyboard.press('Space');
  const preamble = ((await dialog.getByTestId('resume-gcode').textContent()) ?? '').split('\n').filter((l) => l.length > 0);
  expect(preamble).toContain('G28 X Y');
  expect(preamble.some((l) => /^G28(?! X Y$)/.test(l))).toBe(false);
  await expect(start).toBeEnabled();
  await start.click();
  await expect(dialog).toBeHidden();
  return preamble;
}

function checkResumedRun(trace: Executed[], preamble: string[], layer: number): void {
  const log = trace.map((x) => x.command);
  const start = log.lastIndexOf('M110 N0') + 1;
  const ran = log.slice(start).filter((c) => c !== 'M105');
  expect(ran.slice(0, preamble.length), 'the preamble ran first').toEqual(preamble);
  expect(ran.slice(preamble.length), 'then the file from the resumed layer on, each line once, in order').toEqual(commandsFromLayer(print.text, layer));
  const firstExtrusion = trace.findIndex((x, i) => i >= start + preamble.length && /^G1 X[\d.]+ Y[\d.]+ E/.test(x.command));
  const before = trace[firstExtrusion - 1]!.position;
  const expected = fileStateBeforeFirstExtrusion(layer).s;
  expect(before.x).toBeCloseTo(expected.x, 3);
  expect(before.y).toBeCloseTo(expected.y, 3);
  expect(before.z).toBeCloseTo(expected.z, 3);
  expect(before.e, 'the extruder stands where the checkpointed layer start had it').toBeCloseTo(index.layers[layer]!.state.e, 3);
}

async function waitForFinishedLayer(page: Page, atLeast: number): Promise<void> {
  await expect
    .poll(async () => (await jobRecords(page)).find((j) => j.outcome === 'running')?.checkpoint?.finished?.layer ?? -2, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(atLeast);
}

test('a cable pull mid-print, then Resume from layer N: the firmware runs the preamble and the file from that layer', async ({ page }) => {
  test.setTimeout(240_000);
  const boards = tracedBoards();
  const peer = new SimulatedSerialPeer(boards.make);
  await withFakeUsbPrinter(page, peer, async () => {
    await page.getByTestId('connect').click();
    await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    const gcodeId = await storeGcode(page, fixture);
    await chooseFile(page, gcodeId);
    await page.getByTestId('job-start').click();
    await waitForFinishedLayer(page, 1);

    peer.unplug();
    await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'interrupted', { timeout: 15_000 });
    await expect.poll(async () => (await jobRecords(page)).find((j) => j.outcome === 'interrupted')?.checkpoint?.finished?.layer ?? -2).toBeGreaterThanOrEqual(1);
    const interrupted = (await jobRecords(page)).find((j) => j.outcome === 'interrupted')!;
    const layer = interrupted.checkpoint!.finished!.layer + 1;

    // Plug back in: a new worker, and a board reset by the opening of its port.
    const workerSeen = page.waitForEvent('worker', { predicate: (w) => /printer/i.test(w.url()) });
    await page.reload();
    await installFakeSerialInWorker(await workerSeen);
    const offer = page.getByTestId('resume-offer');
    await expect(offer).toBeVisible();
    await expect(offer.getByTestId('resume-open')).toBeDisabled();
    await expect(offer).toContainText('Connect the printer to resume.');
    await page.getByTestId('reconnect').click();
    await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    await expect(offer.getByTestId('resume-open')).toHaveText(`Resume from layer ${layer + 1}`);
    await offer.getByTestId('resume-open').click();
    const preamble = await confirmAndResume(page, layer);

    await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'completed', { timeout: 120_000 });
    expect(peer.opens).toBe(2);
    checkResumedRun(boards.traces[1]!, preamble, layer);
    await expect.poll(async () => (await jobRecords(page)).find((j) => j.resumedFrom)?.outcome).toBe('completed');
    expect((await jobRecords(page)).find((j) => j.resumedFrom)!.resumedFrom).toEqual(expect.objectContaining({ jobId: interrupted.id, layer }));

    await page.goto('/#/history');
    await expect(page.getByTestId('history-resumed-from')).toContainText(`resumed from layer ${layer + 1}`);
  });
});

test('a tab killed mid-print: History offers Resume from layer N, and the resumed print runs the file from that layer', async ({ context }) => {
  test.setTimeout(240_000);
  const boards = tracedBoards();
  const peer = new SimulatedSerialPeer(boards.make);
  peer.start();
  try {
    const printing = await context.newPage();
    await installFakeSerialInPage(printing, peer);
    await installFakeSerialInWorker(await openPrinterView(printing));
    await printing.getByTestId('choose-usb').check();
    await printing.getByTestId('choose-port').click();
    await printing.getByTestId('connect').click();
    await expect(printing.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    const gcodeId = await storeGcode(printing, fixture);
    await chooseFile(printing, gcodeId);
    await printing.getByTestId('job-start').click();
    await waitForFinishedLayer(printing, 1);

    // The tab dies without a word; the board goes on with what it received, then waits.
    await printing.close({ runBeforeUnload: false });

    const page = await context.newPage();
    await installFakeSerialInPage(page, peer);
    await page.goto('/#/history');
    const row = page.getByTestId('history-row').filter({ hasText: 'e2e-resume.gcode' });
    await expect(row.getByTestId('history-outcome')).toContainText('Interrupted', { timeout: 15_000 });
    const interrupted = (await jobRecords(page)).find((j) => j.outcome === 'interrupted')!;
    const layer = interrupted.checkpoint!.finished!.layer + 1;
    expect(layer).toBeGreaterThanOrEqual(2);
    const link = row.getByTestId('history-resume');
    await expect(link).toHaveText(`Resume from layer ${layer + 1}`);

    const workerSeen = page.waitForEvent('worker', { predicate: (w) => /printer/i.test(w.url()) });
    await link.click();
    await installFakeSerialInWorker(await workerSeen);
    await page.getByTestId('choose-usb').check();
    await page.getByTestId('reconnect').click();
    await expect(page.getByTestId('printer-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
    // Arriving from History with the printer ready, the dialog opens by itself.
    const preamble = await confirmAndResume(page, layer);
    await expect(page.getByTestId('job-progress')).toHaveAttribute('data-job-state', 'completed', { timeout: 120_000 });
    checkResumedRun(boards.traces.at(-1)!, preamble, layer);
  } finally {
    peer.stop();
  }
});
