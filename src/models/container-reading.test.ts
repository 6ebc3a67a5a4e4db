import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ModelImportError } from './model-types.js';
import { scanXmlTags, xmlAttributes } from './xml-tags.js';
import { ZipArchive, isZip } from './zip-archive.js';

describe('the 3MF tag scanner', () => {
  it('skips declarations, comments and CDATA even when they contain ">"', () => {
    const names: string[] = [];
    scanXmlTags('<?xml version="1.0"?><!-- a > b --><a x="1"><![CDATA[ <b> ]]><c/></a>', (tag) =>
      names.push(`${tag.closing ? '/' : ''}${tag.name}${tag.selfClosing ? '/' : ''}`),
    );
    expect(names).toEqual(['a', 'c/', '/a']);
  });

  it('reads attributes in either quote style and decodes entities', () => {
    const attributes = xmlAttributes(` name="A &amp; B &#65;&#x42;" other='it&apos;s' p:path="/3D/x.model"`);
    expect(attributes.get('name')).toBe('A & B AB');
    expect(attributes.get('other')).toBe("it's");
    expect(attributes.get('p:path')).toBe('/3D/x.model');
  });
});

describe('the ZIP reader', () => {
  it('reads stored and deflated entries by name, case-insensitively', () => {
    const bytes = zipSync({ 'A/Stored.txt': [strToU8('plain'), { level: 0 }], 'b.txt': strToU8('x'.repeat(10_000)) });
    expect(isZip(bytes)).toBe(true);
    const archive = new ZipArchive(bytes, 1_000_000);
    expect(new TextDecoder().decode(archive.read(archive.find('/a/stored.TXT')!))).toBe('plain');
    expect(archive.read(archive.find('b.txt')!).length).toBe(10_000);
  });

  it('counts the inflate budget across entries', () => {
    const bytes = zipSync({ 'one.bin': new Uint8Array(600_000), 'two.bin': new Uint8Array(600_000) });
    const archive = new ZipArchive(bytes, 1_000_000);
    archive.read(archive.find('one.bin')!);
    expect(() => archive.read(archive.find('two.bin')!)).toThrow(ModelImportError);
  });

  it('refuses a file with no central directory', () => {
    const bytes = zipSync({ 'a.txt': strToU8('a') });
    expect(() => new ZipArchive(bytes.subarray(0, bytes.length - 22), 1000)).toThrow(/cannot be read/);
  });
});
