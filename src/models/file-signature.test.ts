import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { asciiStlText, binaryStlBytes, cubeObjText, cubeThreeMfBytes, cubeTriangles } from './fixtures/model-fixtures.js';
import { describeFileKind, looksLikeGcode, sniffFileKind } from './file-signature.js';

const text = (value: string) => new TextEncoder().encode(value);

describe('sniffFileKind', () => {
  it('recognises the model formats', () => {
    expect(sniffFileKind(binaryStlBytes(cubeTriangles()))).toBe('stl');
    expect(sniffFileKind(text(asciiStlText(cubeTriangles())))).toBe('stl');
    expect(sniffFileKind(text(cubeObjText(10)))).toBe('obj');
    expect(sniffFileKind(cubeThreeMfBytes())).toBe('3mf');
  });

  it('recognises pictures, documents and archives by their signature', () => {
    const withHead = (head: number[] | string, size = 300) => {
      const bytes = new Uint8Array(size).fill(0x41);
      bytes.set(typeof head === 'string' ? text(head) : head);
      return bytes;
    };
    expect(sniffFileKind(withHead([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffFileKind(withHead([0xff, 0xd8, 0xff, 0xe1]))).toBe('jpeg');
    expect(sniffFileKind(withHead('GIF89a'))).toBe('gif');
    expect(sniffFileKind(withHead('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(sniffFileKind(withHead('%PDF-1.4'))).toBe('pdf');
    expect(sniffFileKind(withHead([0x1f, 0x8b, 0x08, 0]))).toBe('gzip');
    expect(sniffFileKind(zipSync({ 'a.txt': strToU8('a') }))).toBe('zip');
    expect(sniffFileKind(text('ISO-10303-21;\nHEADER;'))).toBe('step');
    expect(sniffFileKind(text('<!DOCTYPE html><html></html>'))).toBe('html');
  });

  it('recognises G-code from the lines it starts with, and not plain prose', () => {
    expect(sniffFileKind(text(';FLAVOR:Marlin\n;LAYER_COUNT:2\nM104 S200\nG28\nG1 X1 Y2 E0.1\n'))).toBe('gcode');
    expect(sniffFileKind(text('N10 G28\nN20 G1 X5\n'))).toBe('gcode');
    expect(looksLikeGcode('Dear printer,\nplease print this.\n')).toBe(false);
    expect(sniffFileKind(text('Dear printer,\nplease print this.\n'))).toBeNull();
  });

  it('describes every kind in plain words', () => {
    expect(describeFileKind('png')).toBe('a PNG image');
    expect(describeFileKind('gcode')).toBe('G-code');
  });
});
