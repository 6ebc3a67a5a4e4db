// The generated engine (wasm/build-engine.mjs): a real wasm file and a glue module a strict CSP accepts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './node-engine.js';

const engineDir = join(repositoryRoot, 'public', 'engine');

describe('engine build', () => {
  it('writes the wasm as a binary file', () => {
    const wasm = readFileSync(join(engineDir, 'cura-engine.wasm'));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    expect(WebAssembly.validate(wasm)).toBe(true);
  });

  it('writes glue without the inlined binary, eval or new Function', () => {
    const glue = readFileSync(join(engineDir, 'cura-engine.glue.js'), 'utf8');
    expect(glue.length).toBeLessThan(200_000);
    expect(glue).not.toMatch(/base64,[A-Za-z0-9+/]{100}/);
    expect(glue).not.toMatch(/\beval\s*\(/);
    expect(glue).not.toMatch(/new\s+Function\s*\(/);
    expect(glue).toContain('Module["runScript"](UTF8ToString(ptr))');
    expect(glue).toContain('if(Module["onBusy"])Module["onBusy"]();HEAPU8.copyWithin');
    expect(glue).toContain('ENVIRONMENT_IS_NODE=false;');
  });
});
