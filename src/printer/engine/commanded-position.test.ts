import { describe, expect, it } from 'vitest';
import { CommandedPosition } from './commanded-position.js';

function after(commands: string[]): CommandedPosition {
  const c = new CommandedPosition();
  for (const command of commands) c.apply(command);
  return c;
}

describe('commanded position', () => {
  it('follows absolute and relative moves and G92, and catches a height off by a garbled digit', () => {
    const c = after(['G90', 'G1 X10 Y20 Z0.3 F3000', 'G91', 'G1 Z10', 'G90', 'G92 X0']);
    expect(c.contradicts({ x: 0, y: 20, z: 10.3, e: 0 })).toBe(false);
    expect(c.contradicts({ x: 0, y: 20, z: 10.31, e: 5 })).toBe(false);
    expect(c.contradicts({ x: 0, y: 20, z: 0.3, e: 0 })).toBe(true);
    // Only the height is held against a report: it is what a resume lowers the nozzle to.
    expect(c.contradicts({ x: 9, y: 20, z: 10.3, e: 0 })).toBe(false);
  });

  it('knows nothing after homing, probing or a tool change until the file moves to an absolute place', () => {
    expect(after(['G1 X10 Y10 Z1', 'G28']).contradicts({ x: 123, y: 45, z: 6, e: 0 })).toBe(false);
    expect(after(['G1 X10 Y10 Z1', 'G29']).contradicts({ x: 123, y: 45, z: 6, e: 0 })).toBe(false);
    expect(after(['G1 X10 Y10 Z1', 'T1']).contradicts({ x: 123, y: 45, z: 6, e: 0 })).toBe(false);
    expect(after(['G28', 'G91', 'G1 Z5']).contradicts({ x: 1, y: 2, z: 3, e: 0 })).toBe(false);
    expect(after(['G28', 'G1 Z0.2']).contradicts({ x: 1, y: 2, z: 3, e: 0 })).toBe(true);
  });
});
