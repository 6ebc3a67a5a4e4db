import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DangerousCommandReader, classifyCommand, describeDangerousLines, findDangerousLines, findDangerousLinesInChunks } from './dangerous-commands.js';

describe('classifyCommand', () => {
  it.each([
    ['M997', 'M997'],
    ['m997', 'M997'],
    ['M303 E0 S210 C8', 'M303'],
    ['M303 E-1 S60 C5 U1', 'M303'],
    ['M211 S0', 'M211 S0'],
    ['M211S0', 'M211 S0'],
    ['M302 P1', 'M302 P1'],
    ['M302 S0 P1', 'M302 P1'],
    ['N120 M997*87', 'M997'],
    ['  M303 E0 S200 ; tune the hotend', 'M303'],
  ])('%s is dangerous (%s)', (line, code) => {
    expect(classifyCommand(line)?.code).toBe(code);
    expect(classifyCommand(line)?.why.length).toBeGreaterThan(20);
  });

  it.each(['M211 S1', 'M211', 'M302', 'M302 P0', 'M302 S170', 'M500', 'M502', 'M501', 'M104 S200', 'G28', '; M997 in a comment', '', 'M9970', 'M30', 'G303'])(
    '%s is not dangerous on its own',
    (line) => {
      expect(classifyCommand(line)).toBeNull();
    },
  );
});

describe('DangerousCommandReader', () => {
  it('an M500 after an M502 saves the factory settings; M501 in between reloads the saved ones', () => {
    const reader = new DangerousCommandReader();
    expect(reader.read('M502')).toBeNull();
    expect(reader.read('G28')).toBeNull();
    expect(reader.read('M500')?.code).toBe('M502+M500');
    const other = new DangerousCommandReader();
    other.read('M502');
    other.read('M501');
    expect(other.read('M500')).toBeNull();
  });

  it('peek asks without remembering; reset forgets the session', () => {
    const reader = new DangerousCommandReader();
    expect(reader.peek('M502')).toBeNull();
    expect(reader.peek('M500')).toBeNull();
    reader.read('M502');
    expect(reader.peek('M500')?.code).toBe('M502+M500');
    expect(reader.peek('M501')).toBeNull();
    expect(reader.peek('M500')?.code, 'the peeked M501 was not remembered').toBe('M502+M500');
    reader.reset();
    expect(reader.peek('M500')).toBeNull();
  });
});

describe('findDangerousLines', () => {
  it('lists every dangerous line with its number, and describes them grouped', () => {
    const file = ['; start', 'G28', 'M502', 'M500', 'G1 X10', 'M211 S0', 'M211 S1', 'M303 E0 S200 C8 ; tune', 'M500', 'M997'];
    const found = findDangerousLines(file);
    expect(found.map((f) => [f.line, f.code, f.command])).toEqual([
      [4, 'M502+M500', 'M500'],
      [6, 'M211 S0', 'M211 S0'],
      [8, 'M303', 'M303 E0 S200 C8'],
      [9, 'M502+M500', 'M500'],
      [10, 'M997', 'M997'],
    ]);
    const text = describeDangerousLines(found);
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toContain('M502+M500 (lines 4, 9):');
    expect(text).toContain('M997 (line 10): Starts a firmware update.');
  });

  it('an ordinary sliced file has none', () => {
    const lines = [';FLAVOR:Marlin', 'M140 S60', 'M104 S200', 'M190 S60', 'M109 S200', 'G28', 'G92 E0', 'G1 Z0.2 F3000', 'G1 X10 Y10 E1', 'M107', 'M84', 'M500'];
    expect(findDangerousLines(lines)).toEqual([]);
  });

  it('a long list of the same danger is shortened', () => {
    const found = findDangerousLines(Array.from({ length: 25 }, () => 'M303 E0 S200'));
    expect(describeDangerousLines(found, 3)).toBe(`M303 (lines 1, 2, 3 and 22 more): ${found[0]!.why}`);
  });
});

describe('findDangerousLinesInChunks', () => {
  it('numbers lines as the file counts them, whatever the chunk boundaries', async () => {
    const text = '; start\r\nG28\nM502\nM50' + '0\nG1 X1\n\nM997';
    const bytes = new TextEncoder().encode(text);
    async function* chunks(size: number) {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    for (const size of [1, 3, 7, 1000]) {
      const found = await findDangerousLinesInChunks(chunks(size));
      expect(found.map((f) => [f.line, f.code])).toEqual([
        [4, 'M502+M500'],
        [7, 'M997'],
      ]);
    }
  });

  it('finds what the line-by-line reader finds, for any file and any chunking', async () => {
    const pool = ['G1 X1 Y2 E0.1', 'M502', 'M500', 'M501', 'M997', 'M303 E0 S200', 'M211 S0', 'M211 S1', 'M302 P1', '; M997', 'm997', '', 'N5 M500*12', 'M104 S200 ; move'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...pool), { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), fc.boolean(), async (lines, size, crlf) => {
        const bytes = new TextEncoder().encode(lines.join(crlf ? '\r\n' : '\n'));
        async function* chunks() {
          for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
        }
        const expected = findDangerousLines(lines.length === 0 ? [] : lines).map((f) => [f.line, f.code]);
        expect((await findDangerousLinesInChunks(chunks())).map((f) => [f.line, f.code])).toEqual(expected);
      }),
    );
  });
});
