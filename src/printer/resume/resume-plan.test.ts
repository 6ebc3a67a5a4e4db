import { describe, expect, it } from 'vitest';
import type { JobCheckpoint } from '../../storage/job-checkpoint.js';
import { LayerIndexBuilder } from './layer-index.js';
import { PrintState } from './print-state.js';
import { buildResumePlan } from './resume-plan.js';
import { layeredPrint } from '../testing/layered-print.js';

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function indexed(options: Parameters<typeof layeredPrint>[0]) {
  const b = new LayerIndexBuilder();
  b.feed(bytesOf(layeredPrint(options).text));
  return b.finish();
}

function checkpointAt(finishedLayer: number, zLow: number): JobCheckpoint {
  return { at: 0, gcodeId: 'g', acked: { line: 100, offset: 5000 }, finished: { line: 90, offset: 4000, layer: finishedLayer }, layer: finishedLayer + 1, state: new PrintState().snapshot(), zLow, zHigh: zLow + 0.2 };
}

describe('resume plan', () => {
  it('heats and waits, declares Z, homes only X and Y, travels clear, primes, lowers and restores the file\u2019s settings', () => {
    const index = indexed({ layers: 5, movesPerLayer: 8, markers: 'cura' });
    const layer = index.layers[3]!;
    const plan = buildResumePlan({ layer, checkpoint: checkpointAt(2, 0.6), choices: { nozzleZ: 0.6, homeZ: false } });
    if (!plan.ok) throw new Error(plan.message);
    const s = layer.state;
    expect(plan.lines).toEqual([
      'M140 S60',
      'M104 T0 S205',
      'M190 S60',
      'M109 T0 S205',
      'G21',
      'G90',
      'G92 Z0.6',
      'G91',
      'G1 Z5 F600',
      'G90',
      'G28 X Y',
      'G1 Z7 F600',
      `G1 X${s.x} Y${s.y} F6000`,
      'M83',
      'G1 E3 F150',
      'G1 Z0.6 F600',
      `G92 E${Math.round(s.e * 1000) / 1000}`,
      'M82',
      'G90',
      'M106 P0 S255',
      'G1 F3000',
    ]);
    expect(plan.lines.some((l) => /^G28(?!\s+X\s+Y$)/.test(l))).toBe(false);
    expect(plan.startOffset).toBe(layer.offset);
    expect(plan.startLine).toBe(layer.line);
    expect(plan.warnings).toEqual([]);
    for (const step of plan.steps) expect(step.says.length).toBeGreaterThan(10);
    expect(plan.steps.map((st) => st.says).join(' ')).toMatch(/Z is not homed/);
  });

  it('homes Z only when the user says it is safe, then needs no declared height', () => {
    const index = indexed({ layers: 3, movesPerLayer: 4, markers: 'cura' });
    const plan = buildResumePlan({ layer: index.layers[1]!, checkpoint: null, choices: { nozzleZ: 0, homeZ: true, primeMm: 0 } });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.lines).toContain('G28');
    expect(plan.lines.some((l) => l.startsWith('G92 Z'))).toBe(false);
    expect(plan.lines.some((l) => l.startsWith('G1 E'))).toBe(false);
  });

  it('restores relative extrusion, and the E position of the layer it starts from after a per-layer reset', () => {
    const rel = indexed({ layers: 3, movesPerLayer: 4, markers: 'prusa', relativeE: true });
    const plan = buildResumePlan({ layer: rel.layers[2]!, checkpoint: null, choices: { nozzleZ: 0.6, homeZ: false } });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.lines.slice(-5, -3)).toEqual([`G92 E${Math.round(rel.layers[2]!.state.e * 1000) / 1000}`, 'M83']);
    const reset = indexed({ layers: 3, movesPerLayer: 4, markers: 'cura', resetEEachLayer: true });
    const p2 = buildResumePlan({ layer: reset.layers[2]!, checkpoint: null, choices: { nozzleZ: 0.6, homeZ: false } });
    if (!p2.ok) throw new Error(p2.message);
    // The layer's own G92 E0 comes after its marker: the E to restore is where layer 1 ended.
    expect(reset.layers[2]!.state.e).toBeGreaterThan(0.1);
    expect(p2.lines).toContain(`G92 E${Math.round(reset.layers[2]!.state.e * 1000) / 1000}`);
    expect(p2.lines).toContain('M82');
  });

  it('warns when going back below the finished layers or declaring the nozzle lower than the print reached', () => {
    const index = indexed({ layers: 5, movesPerLayer: 4, markers: 'cura' });
    const plan = buildResumePlan({ layer: index.layers[1]!, checkpoint: checkpointAt(3, 0.8), choices: { nozzleZ: 0.4, homeZ: false } });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.warnings).toHaveLength(2);
    expect(plan.warnings[0]).toMatch(/already printed/);
    expect(plan.warnings[1]).toMatch(/pressed into the part/);
  });

  it('refuses in plain words what it cannot do safely', () => {
    const index = indexed({ layers: 3, movesPerLayer: 4, markers: 'cura' });
    const layer = index.layers[1]!;
    const bad = (nozzleZ: number, edit?: (s: typeof layer.state) => void) => {
      const l = { ...layer, state: structuredClone(layer.state) };
      edit?.(l.state);
      const p = buildResumePlan({ layer: l, checkpoint: null, choices: { nozzleZ, homeZ: false } });
      return p.ok ? '' : p.message;
    };
    expect(bad(Number.NaN)).toMatch(/nozzle height/);
    expect(bad(-1)).toMatch(/nozzle height/);
    expect(bad(1, (s) => (s.hotends = {}))).toMatch(/not heated the hotend/);
    expect(bad(1, (s) => (s.offsets.x = 5))).toMatch(/shifted the X\/Y/);
  });
});
