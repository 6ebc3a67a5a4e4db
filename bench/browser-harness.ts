// What the browser benchmarks share: the 3DBenchy job on the middle of the plate, and a harness page
// (bench/<name>/) built for production, served locally and opened in headless Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { repositoryRoot } from '../wasm/node-engine.js';
import { encodeBinaryStl } from '../src/models/stl-writer.js';
import { bedCentreOf, buildVolumeFromSettings } from '../src/slicer/engine/build-volume.js';
import { boundsOf, decodeBinaryStl } from '../src/slicer/engine/placed-mesh.js';
import { resolvedSettingsForTest } from '../src/slicer/engine/testing/resolved-settings.js';
import type { EngineSettings } from '../src/slicer/slice-api.js';
import { findBrowser, PLAYWRIGHT_BROWSER_FLAGS } from '../scripts/find-browser.mjs';

export const benchyPath = resolve(repositoryRoot, '..', 'shared', 'data', 'models', '3DBenchy.stl');

/** Ends the benchmark with a clear line and an empty result when the shared test data is not there. */
export function skipWithoutBenchy(bench: string): void {
  if (existsSync(benchyPath)) return;
  console.log(`SKIPPED: ${benchyPath} is absent (the shared test data is not next to the repository).`);
  console.log(JSON.stringify({ bench, results: [], note: 'skipped: 3DBenchy.stl not found' }));
  process.exit(0);
}

export interface BenchyJob {
  machine: string;
  settings: EngineSettings;
  /** Binary STL in plate coordinates: centred on the bed, standing on it. */
  stl: ArrayBuffer;
  triangles: number;
  bedCentre: [number, number];
}

/** 3DBenchy on the middle of the plate with every setting resolved for `machine` by the app's resolver. */
export async function benchyJob(machine: string): Promise<BenchyJob> {
  const settings = await resolvedSettingsForTest(machine, {});
  const volume = buildVolumeFromSettings(settings.global);
  if (typeof volume === 'string') throw new Error(volume);
  const fileBytes = readFileSync(benchyPath);
  const raw = decodeBinaryStl(fileBytes.buffer.slice(fileBytes.byteOffset, fileBytes.byteOffset + fileBytes.byteLength));
  if (typeof raw === 'string') throw new Error(raw);
  const rawBounds = boundsOf(raw)!;
  const [cx, cy] = bedCentreOf(volume);
  const placement = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0,
    cx - (rawBounds.min[0] + rawBounds.max[0]) / 2, cy - (rawBounds.min[1] + rawBounds.max[1]) / 2, -rawBounds.min[2], 1];
  return { machine, settings, stl: encodeBinaryStl(raw, placement, '3DBenchy'), triangles: raw.length / 9, bedCentre: [cx, cy] };
}

/** A fresh scratch folder for one benchmark, under node_modules/.cache. */
export function benchWorkFolder(bench: string): string {
  const work = join(repositoryRoot, 'node_modules', '.cache', `sliceport-bench-${bench}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  return work;
}

/**
 * Builds bench/<harness>/ for production into `work`, adds `files` (the job the page fetches), serves
 * it on `port` and runs `drive` on the page in headless Chromium; the server and browser are always
 * stopped. Page errors are echoed to stderr.
 */
export async function driveHarness<T>(
  harness: string,
  options: { work: string; port: number; files: Record<string, Uint8Array | string> },
  drive: (page: Page) => Promise<T>,
): Promise<{ result: T; chromiumVersion: string }> {
  const config = `bench/${harness}/vite.config.ts`;
  const dist = join(options.work, 'dist');
  const build = spawnSync('npx', ['vite', 'build', '--config', config, '--outDir', dist], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('the benchmark harness did not build');
  for (const [name, content] of Object.entries(options.files)) writeFileSync(join(dist, name), content);
  const server = spawn('npx', ['vite', 'preview', '--outDir', dist, '--port', String(options.port), '--strictPort', '--config', config], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    const url = `http://localhost:${options.port}/`;
    await waitForServer(url);
    const executablePath = await findBrowser();
    const chromiumVersion = spawnSync(executablePath, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const browser = await chromium.launch({ executablePath, args: [...PLAYWRIGHT_BROWSER_FLAGS], headless: true });
    try {
      const page = await browser.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') console.error(`[page] ${message.text()}`);
      });
      await page.goto(url);
      return { result: await drive(page), chromiumVersion };
    } finally {
      await browser.close();
    }
  } finally {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

export async function waitForServer(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(`the benchmark server did not start on ${url}`);
}
