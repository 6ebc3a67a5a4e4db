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

describe('parseEngineScript: what CuraEngine 5.13 sends', () => {
  it('reads progress in the shortest form fmt writes a double', () => {
    expect(parseEngineScript('globalThis["cura-wasm-progress-callback"](0.5)')).toEqual({ kind: 'progress', fraction: 0.5 });
    expect(parseEngineScript('globalThis["cura-wasm-progress-callback"](1e-05)')).toEqual({ kind: 'progress', fraction: 1e-5 });
    expect(parseEngineScript('globalThis["cura-wasm-progress-callback"](1)')).toEqual({ kind: 'progress', fraction: 1 });
  });

  it('decodes the G-code header sent as base64', () => {
    const header = ';FLAVOR:Marlin\n;TIME:1234\n;Filament used: 0.5m\n;Generated with Cura_SteamEngine 5.13.0 – ü\n';
    const encoded = Buffer.from(header, 'utf8').toString('base64');
    expect(parseEngineScript(`globalThis["sliceport-gcode-header"]("${encoded}")`)).toEqual({ kind: 'gcode-header', text: header });
    expect(parseEngineScript('globalThis["sliceport-gcode-header"]("not base64!")')).toBeNull();
    expect(parseEngineScript('globalThis["sliceport-gcode-header"](12)')).toBeNull();
  });

  it('reads the slice and engine information as JSON, never as code', () => {
    expect(parseEngineScript('globalThis["sliceport-engine-info"]({"version":"5.13.0","hash":"636f960"})')).toEqual({
      kind: 'engine-info',
      info: { version: '5.13.0', hash: '636f960' },
    });
    expect(
      parseEngineScript('globalThis["sliceport-slice-info"]({"slice_uuid":"","time_estimates":{"infill":12.5},"material_estimates":{"0":812.3}})'),
    ).toEqual({ kind: 'slice-info', info: { slice_uuid: '', time_estimates: { infill: 12.5 }, material_estimates: { '0': 812.3 } } });
    expect(parseEngineScript('globalThis["sliceport-slice-info"]({"a": alert(1)})')).toBeNull();
    expect(parseEngineScript('globalThis["sliceport-slice-info"]([1,2])')).toBeNull();
    expect(parseEngineScript('globalThis[""](0.5)')).toBeNull();
  });
});
