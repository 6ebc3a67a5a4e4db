// Browser side of `npm run bench:slice`: the app's own SlicerClient and slicer worker (production build),
// driven the way the slice panel drives them on a click: plate → request → worker.
import type { EngineSettings, SliceProgress } from '../../src/slicer/slice-api.js';
import { sliceRequestFromPlate } from '../../src/slicer/slice-job-request.js';
import { SlicerClient } from '../../src/slicer/slicer-client.js';
import { decodeBinaryStl } from '../../src/slicer/engine/placed-mesh.js';

export interface BrowserSliceTiming {
  ok: boolean;
  message?: string;
  /** From the click to the engine starting work (request built, model and definitions in, instance made). */
  toEngineStartMs: number;
  totalSeconds: number;
  progressEvents: number;
  maxProgressGapMs: number;
  layerCount: number;
}

const client = new SlicerClient();

async function load(): Promise<{ positions: Float32Array; settings: EngineSettings; machine: string }> {
  const [stl, job] = await Promise.all([
    fetch('./bench-model.stl').then((response) => response.arrayBuffer()),
    fetch('./bench-job.json').then((response) => response.json() as Promise<{ settings: EngineSettings; machine: string }>),
  ]);
  const positions = decodeBinaryStl(stl);
  if (typeof positions === 'string') throw new Error(positions);
  return { positions, ...job };
}

const loaded = load();

async function sliceOnce(): Promise<BrowserSliceTiming> {
  const { positions, settings, machine } = await loaded;
  const clicked = performance.now();
  let engineStart = 0;
  let last = 0;
  let maxGap = 0;
  let events = 0;
  const prepared = sliceRequestFromPlate({
    machineDefinitionId: machine,
    engineSettings: settings,
    settingErrors: [],
    objects: [{ name: '3DBenchy', positions, placement: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], extruder: 0, outsideVolume: false }],
  });
  if (!prepared.ok) return { ok: false, message: prepared.reason, toEngineStartMs: 0, totalSeconds: 0, progressEvents: 0, maxProgressGapMs: 0, layerCount: 0 };
  const outcome = await client.slice(prepared.request, {
    onProgress: (progress: SliceProgress) => {
      const now = performance.now();
      events += 1;
      if (progress.stage === 'Slicing' && engineStart === 0) engineStart = now;
      if (engineStart > 0 && last > 0) maxGap = Math.max(maxGap, now - last);
      last = now;
    },
  });
  const done = performance.now();
  return {
    ok: outcome.ok,
    message: outcome.ok ? undefined : `${outcome.error.message} ${outcome.error.detail ?? ''}`,
    toEngineStartMs: engineStart - clicked,
    totalSeconds: (done - clicked) / 1000,
    progressEvents: events,
    maxProgressGapMs: maxGap,
    layerCount: outcome.ok ? outcome.result.metadata.layerCount : 0,
  };
}

declare global {
  interface Window {
    sliceBench: { warm(): Promise<void>; sliceOnce(): Promise<BrowserSliceTiming> };
  }
}

window.sliceBench = {
  warm: async () => {
    await loaded;
    await client.warmUp();
  },
  sliceOnce,
};
