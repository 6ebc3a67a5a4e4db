// The page the preview benchmark drives: opens one G-code file with Sliceport's preview or with the
// `gcode-preview` package and reports the timings. The scenario is the same for both: the viewer is on
// screen and idle (set up, then left alone for a moment, as while the user finds the file), then a file
// is opened. Timing starts from the file as a Blob and ends when the GPU has finished the first frame
// showing every layer.
import { wrap } from 'comlink';
import { GcodeClient } from '../../src/gcode/gcode-client.js';
import { init } from 'gcode-preview';
import type { GcodeWorkerApi } from '../../src/gcode/gcode-worker-api.js';
import type { GcodeSummary } from '../../src/gcode/toolpath.js';
import '../../src/ui/preview/gcode-preview.js';
import type { GcodePreview } from '../../src/ui/preview/gcode-preview.js';

export interface PageResult {
  analysisMs: number;
  firstRenderMs: number;
  detail: string;
}

const stage = () => document.getElementById('stage')!;

/** How long the viewer sits idle before the file is opened. */
const IDLE_MS = 1500;
const idle = () => new Promise((resolve) => setTimeout(resolve, IDLE_MS));

async function fetchBlob(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetch ${url}: ${response.status}`);
  return response.blob();
}

/** Waits until the GPU has really drawn: reading a pixel back blocks until the frame is done. */
function finishFrame(canvas: HTMLCanvasElement): void {
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGL2RenderingContext | null;
  if (!gl) throw new Error('no WebGL context on the canvas');
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
}

async function benchSliceport(url: string, name: string): Promise<PageResult> {
  const blob = await fetchBlob(url);
  const file = new File([blob], name);
  const element = document.createElement('sp-gcode-preview') as GcodePreview;
  element.noOpen = true;
  stage().append(element);
  await element.updateComplete;
  await idle();
  // When the worker's answer reaches the page, to tell the round trip from the page's own work.
  const internals = element as unknown as { client: GcodeClient };
  const analyseFile = internals.client.analyseFile.bind(internals.client);
  let answeredAt = 0;
  internals.client.analyseFile = async (...args) => {
    const outcome = await analyseFile(...args);
    answeredAt = performance.now() - started;
    return outcome;
  };
  const started = performance.now();
  const analysed = new Promise<{ summary: GcodeSummary; analysisMs: number }>((resolve) =>
    element.addEventListener('sp-gcode-analysed', (e) => resolve((e as CustomEvent).detail), { once: true }),
  );
  const rendered = new Promise<void>((resolve) => element.addEventListener('sp-gcode-rendered', () => resolve(), { once: true }));
  const opening = element.openFile(file);
  const outcome = await Promise.race([analysed, opening.then(() => null)]);
  if (!outcome) {
    const error = element.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? 'no analysis';
    throw new Error(error);
  }
  const analysedAt = performance.now() - started;
  await rendered;
  const renderedAt = performance.now() - started;
  const canvas = element.shadowRoot!.querySelector('canvas')!;
  finishFrame(canvas);
  const firstRenderMs = performance.now() - started;
  const s = outcome.summary;
  return {
    analysisMs: outcome.analysisMs,
    firstRenderMs,
    detail:
      `${s.layerCount} layers, ${s.totalSegments} moves, ${s.storedSegments} drawn${s.reduced ? ' (reduced)' : ''}, ` +
      `toolpath ${(s.toolpathBytes / 1e6).toFixed(1)} MB; analysed in the worker ${outcome.analysisMs.toFixed(0)} ms, ` +
      `answer on the page at ${answeredAt.toFixed(0)} ms, shown at ${analysedAt.toFixed(0)} ms, drawn at ${renderedAt.toFixed(0)} ms`,
  };
}

async function benchGcodePreview(url: string, _name: string): Promise<PageResult> {
  const blob = await fetchBlob(url);
  const canvas = document.createElement('canvas');
  canvas.className = 'baseline';
  stage().append(canvas);
  const preview = init({ canvas, extrusionColor: 'hotpink' });
  await idle();
  const started = performance.now();
  const text = await blob.text();
  const textMs = performance.now() - started;
  let parseMs = 0;
  const parse = preview.parser.parseGCode.bind(preview.parser);
  preview.parser.parseGCode = (input: string | string[]) => {
    const t = performance.now();
    const result = parse(input);
    parseMs = performance.now() - t;
    return result;
  };
  preview.processGCode(text);
  finishFrame(canvas);
  const firstRenderMs = performance.now() - started;
  // Its analysis needs the file as one string: decoding it is part of the work.
  return {
    analysisMs: parseMs + textMs,
    firstRenderMs,
    detail: `${preview.layers.length} layers; decoding to a string ${textMs.toFixed(0)} ms, parsing ${parseMs.toFixed(0)} ms`,
  };
}

declare global {
  interface Window {
    benchSliceport: typeof benchSliceport;
    benchGcodePreview: typeof benchGcodePreview;
  }
}

window.benchSliceport = benchSliceport;
window.benchGcodePreview = benchGcodePreview;

/**
 * Analyses the same file several times in one worker: shows how much of a single run is warm-up.
 * With `warmUp`, the worker's own warm-up runs first, as the preview element does with its spare worker
 * (its time is then the first number).
 */
async function benchWorkerRepeat(url: string, times: number, warmUp = false): Promise<number[]> {
  const blob = await fetchBlob(url);
  const worker = new Worker(new URL('../../workers/gcode.worker.ts', import.meta.url), { type: 'module' });
  const remote = wrap<GcodeWorkerApi>(worker);
  const ms: number[] = [];
  if (warmUp) {
    const warmUpMs = await remote.warmUp();
    await idle();
    ms.push(Math.round(warmUpMs));
  }
  for (let i = 0; i < times; i++) {
    const outcome = await remote.analyseBlob(blob, 'x', {});
    ms.push(outcome.ok ? Math.round(outcome.milliseconds) : -1);
  }
  worker.terminate();
  return ms;
}
(window as unknown as { benchWorkerRepeat: typeof benchWorkerRepeat }).benchWorkerRepeat = benchWorkerRepeat;

/** Where the time between opening and the analysis arriving goes: the worker's own time vs the round trip. */
async function benchClientRoundTrip(url: string): Promise<{ workerMs: number; pageMs: number }> {
  const blob = await fetchBlob(url);
  const client = new GcodeClient();
  client.prepare();
  await idle();
  const started = performance.now();
  const outcome = await client.analyseFile(blob, 'x');
  const pageMs = performance.now() - started;
  client.dispose();
  return { workerMs: outcome.ok ? Math.round(outcome.milliseconds) : -1, pageMs: Math.round(pageMs) };
}
(window as unknown as { benchClientRoundTrip: typeof benchClientRoundTrip }).benchClientRoundTrip = benchClientRoundTrip;
