import { describe, expect, it } from 'vitest';
import { parseEngineScript } from './engine-script.js';

describe('parseEngineScript (no eval)', () => {
  it('reads the progress call', () => {
    expect(parseEngineScript('globalThis["cura-wasm-progress-callback"](0.420000)')).toEqual({ kind: 'progress', fraction: 0.42 });
  });

  it('reads the metadata call', () => {
    expect(parseEngineScript('globalThis["cura-wasm-metadata-callback"]("Marlin", 6934, 9168, 0, 0.400000, 9168)')).toEqual({
      kind: 'metadata',
      flavor: 'Marlin',
      printSeconds: 6934,
      material1: 9168,
      material2: 0,
      nozzleSize: 0.4,
      filament: 9168,
    });
  });

  it('refuses anything else, including code that would run under eval', () => {
    for (const script of [
      'alert(1)',
      'globalThis["cura-wasm-progress-callback"](fetch("x"))',
      'globalThis["cura-wasm-progress-callback"](0.5); alert(1)',
      'globalThis["other"](1)',
      'globalThis["cura-wasm-progress-callback"]("half")',
      'globalThis["cura-wasm-metadata-callback"]("Marlin", 1)',
    ]) {
      expect(parseEngineScript(script)).toBeNull();
    }
  });
});
