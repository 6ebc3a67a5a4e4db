import { describe, expect, it } from 'vitest';
import { PrintState, parseCommand } from './print-state.js';

function run(...commands: string[]): PrintState {
  const s = new PrintState();
  for (const c of commands) s.apply(c);
  return s;
}

describe('the state a G-code file sets up', () => {
  it('parses words and parameters, with or without spaces', () => {
    const c = parseCommand('G1X10.5 Y-3 E.25F1200')!;
    expect(c.word).toBe('G1');
    expect(Object.fromEntries(c.params)).toEqual({ X: 10.5, Y: -3, E: 0.25, F: 1200 });
    expect(parseCommand('G28 X Y')!.flags).toEqual(new Set(['X', 'Y']));
    expect(parseCommand('; just a comment')).toBeNull();
  });

  it('follows absolute and relative positions, E in both modes, and Marlin keeps M83 across G90', () => {
    const s = run('G90', 'M82', 'G1 X10 Y20 Z0.2 E1 F1200', 'G91', 'G1 X5 E1', 'G90', 'M83', 'G1 X0 E0.5', 'G90', 'G1 E0.5');
    expect(s.s).toMatchObject({ x: 0, y: 20, z: 0.2, e: 3, relativeExtrusion: true, relativePositioning: false, feedRateMmMin: 1200 });
  });

  it('keeps G92 shifts: E resets, and X/Y/Z shifts against the homed machine', () => {
    const s = run('G28', 'G1 X10 Y10 Z5', 'G92 X0 Z1 E7', 'G1 X2');
    expect(s.s.offsets).toEqual({ x: -10, y: 0, z: -4 });
    expect(s.s).toMatchObject({ x: 2, z: 1, e: 7 });
    // Homing an axis clears its shift.
    s.apply('G28 X');
    expect(s.s.offsets.x).toBe(0);
    // A bare G92 changes nothing in Marlin.
    s.apply('G92');
    expect(s.s.e).toBe(7);
  });

  it('converts inches to millimetres (G20) including the feed rate', () => {
    const s = run('G20', 'G1 X1 Z0.01 F60');
    expect(s.s.x).toBeCloseTo(25.4);
    expect(s.s.z).toBeCloseTo(0.254);
    expect(s.s.feedRateMmMin).toBeCloseTo(1524);
    expect(s.s.units).toBe('inch');
  });

  it('records temperatures per tool, the heaters waited for, fans, tool and the highest Z', () => {
    const s = run('M104 S200', 'M104 T1 S215', 'M140 S60', 'M190 S60', 'M109 S205', 'T1', 'M106 S128', 'M106 P1 S255', 'M107 P1', 'G1 Z12', 'G1 Z0.4');
    expect(s.s.hotends).toEqual({ 0: 205, 1: 215 });
    expect(s.s).toMatchObject({ bed: 60, waitedBed: true, waitedHotends: [0], tool: 1, fans: { 0: 128, 1: 0 }, maxZ: 12, z: 0.4 });
  });

  it('says which moves extrude and which change Z', () => {
    const s = new PrintState();
    expect(s.apply('G1 Z0.2')).toEqual({ move: true, extrudes: false, zChanged: true, displaced: true });
    expect(s.apply('G1 X10 E1')).toEqual({ move: true, extrudes: true, zChanged: false, displaced: true });
    expect(s.apply('G1 E2')).toEqual({ move: true, extrudes: false, zChanged: false, displaced: true });
    expect(s.apply('G1 F1200')).toEqual({ move: true, extrudes: false, zChanged: false, displaced: false });
    expect(s.apply('M105').move).toBe(false);
  });

  it('snapshots are copies', () => {
    const s = run('M106 S10');
    const snap = s.snapshot();
    s.apply('M106 S20');
    expect(snap.fans[0]).toBe(10);
  });
});
