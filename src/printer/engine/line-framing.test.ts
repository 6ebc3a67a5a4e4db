import { describe, expect, it } from 'vitest';
import { checksum, commandWord, frameLine, numericParam, stripComment, worstCaseFramedLength, MAX_LINE_CHARS } from './line-framing.js';

describe('line framing', () => {
  it('computes the XOR checksum Marlin expects', () => {
    expect(frameLine(0, 'M110 N0')).toBe('N0 M110 N0*125');
    expect(checksum('N1 M115')).toBe([...'N1 M115'].reduce((a, c) => a ^ c.charCodeAt(0), 0));
  });
  it('strips comments and whitespace, keeps parentheses', () => {
    expect(stripComment('  G1 X10 ; move  ')).toBe('G1 X10');
    expect(stripComment('; only a comment')).toBe('');
    expect(stripComment('M117 (hello)')).toBe('M117 (hello)');
  });
  it('reads command words and parameters', () => {
    expect(commandWord('g01 x1')).toBe('G1');
    expect(commandWord('M0 Click')).toBe('M0');
    expect(commandWord('M109 S200')).toBe('M109');
    expect(numericParam('M104 T1 S215.5', 'S')).toBe(215.5);
    expect(numericParam('G1X10Y20E0.5', 'E')).toBe(0.5);
    expect(numericParam('G1 X10', 'E')).toBeUndefined();
  });
  it('measures the framed length in the worst case of the checksum', () => {
    const cmd = 'G1 X1';
    expect(worstCaseFramedLength(7, cmd)).toBeGreaterThanOrEqual(frameLine(7, cmd).length);
    expect(MAX_LINE_CHARS).toBe(95);
  });
});
