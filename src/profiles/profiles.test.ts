import { describe, expect, it } from 'vitest';
import { genericPrinterProfile, genericPrinterProfileId } from '../printer-panel/default-profile.js';
import type { PrinterProfileRecord } from '../storage/records.js';
import { chooseActiveProfile, newPrinterProfile, selectableProfiles } from './profile-choice.js';
import { scriptProblems, validatePrinterProfile } from './profile-validation.js';

function draft(change: Partial<PrinterProfileRecord> = {}): PrinterProfileRecord {
  return { ...newPrinterProfile('p1', 'Ender 3', 1), ...change };
}

const fields = (p: PrinterProfileRecord) => validatePrinterProfile(p).map((x) => x.field);

describe('validatePrinterProfile', () => {
  it('accepts a profile made from the generic one', () => {
    expect(validatePrinterProfile(draft())).toEqual([]);
    expect(validatePrinterProfile(genericPrinterProfile())).toEqual([]);
  });

  it('requires a name', () => {
    const problems = validatePrinterProfile(draft({ name: '   ' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe('name');
    expect(problems[0]!.message).toMatch(/name/);
  });

  it('bounds the hotend to 150–500 °C and the bed to 0–150 °C', () => {
    expect(fields(draft({ maxHotendTemp: 149 }))).toEqual(['maxHotendTemp']);
    expect(fields(draft({ maxHotendTemp: 501 }))).toEqual(['maxHotendTemp']);
    expect(fields(draft({ maxHotendTemp: 150 }))).toEqual([]);
    expect(fields(draft({ maxHotendTemp: 500 }))).toEqual([]);
    expect(fields(draft({ maxHotendTemp: Number.NaN }))).toEqual(['maxHotendTemp']);
    expect(fields(draft({ maxBedTemp: -1 }))).toEqual(['maxBedTemp']);
    expect(fields(draft({ maxBedTemp: 151 }))).toEqual(['maxBedTemp']);
    expect(fields(draft({ maxBedTemp: 0 }))).toEqual([]);
    expect(validatePrinterProfile(draft({ maxHotendTemp: 600 }))[0]!.message).toContain('between 150 and 500 °C');
  });

  it('treats the chamber limit as optional', () => {
    expect(fields(draft({ maxChamberTemp: undefined }))).toEqual([]);
    expect(fields(draft({ maxChamberTemp: 70 }))).toEqual([]);
    expect(fields(draft({ maxChamberTemp: 200 }))).toEqual(['maxChamberTemp']);
  });

  it('bounds the receive buffer to 32–8192 bytes', () => {
    expect(fields(draft({ receiveBufferBytes: 31 }))).toEqual(['receiveBufferBytes']);
    expect(fields(draft({ receiveBufferBytes: 8193 }))).toEqual(['receiveBufferBytes']);
    expect(fields(draft({ receiveBufferBytes: 32 }))).toEqual([]);
    expect(fields(draft({ receiveBufferBytes: 8192 }))).toEqual([]);
  });

  it('accepts only supported baud rates or auto', () => {
    expect(fields(draft({ baudRate: 'auto' }))).toEqual([]);
    expect(fields(draft({ baudRate: 250000 }))).toEqual([]);
    expect(fields(draft({ baudRate: 12345 }))).toEqual(['baudRate']);
  });

  it('requires every build volume dimension to be above 0', () => {
    const base = draft();
    expect(fields(draft({ volume: { ...base.volume, depth: 0 } }))).toEqual(['volume']);
    expect(fields(draft({ volume: { ...base.volume, height: -5 } }))).toEqual(['volume']);
  });

  it('checks extruder count and flow control', () => {
    expect(fields(draft({ extruderCount: 0 }))).toEqual(['extruderCount']);
    expect(fields(draft({ extruderCount: 1.5 }))).toEqual(['extruderCount']);
    expect(fields(draft({ flowControl: 'turbo' as PrinterProfileRecord['flowControl'] }))).toEqual(['flowControl']);
  });

  it('refuses script lines that are not ASCII or too long once numbered', () => {
    const base = draft();
    const long = `M117 ${'x'.repeat(90)}`;
    const problems = validatePrinterProfile(draft({ scripts: { ...base.scripts, pause: 'G91\nM117 Pausé', cancel: `M104 S0\n${long}` } }));
    expect(problems.map((p) => p.field)).toEqual(['scripts.pause', 'scripts.cancel']);
    expect(problems[0]!.message).toContain('Pause script, line 2');
    expect(problems[0]!.message).toContain('ASCII');
    expect(problems[1]!.message).toContain('Cancel script, line 2 is too long');
  });

  it('ignores comments and blank lines in scripts', () => {
    expect(scriptProblems('; parkéd head\n\nG1 Z10 ; lift é\n', 'Pause')).toEqual([]);
    // `N100000 <cmd>*255` adds 12 characters, so 83 characters of command are the most that fit.
    const fits = `M117 ${'x'.repeat(83 - 5)}`;
    expect(scriptProblems(fits, 'Pause')).toEqual([]);
    expect(scriptProblems(`${fits}x`, 'Pause')).toHaveLength(1);
  });
});

describe('profile choice', () => {
  const a = draft({ id: 'a', name: 'Zeta' });
  const b = draft({ id: 'b', name: 'Alpha' });

  it('uses the last used profile when it still exists', () => {
    expect(chooseActiveProfile([a, b], 'b').id).toBe('b');
  });

  it('falls back to the generic profile when the last one was deleted or none was chosen', () => {
    expect(chooseActiveProfile([a], 'b').id).toBe(genericPrinterProfileId);
    expect(chooseActiveProfile([a, b], undefined).id).toBe(genericPrinterProfileId);
  });

  it('lists the generic profile first, then stored ones by name', () => {
    expect(selectableProfiles([a, b]).map((p) => p.name)).toEqual(['Generic Marlin printer', 'Alpha', 'Zeta']);
  });

  it('creates a new profile from the generic one without sharing its objects', () => {
    const p = newPrinterProfile('new-id', 'Prusa', 5);
    const generic = genericPrinterProfile(5);
    expect(p).toMatchObject({ ...generic, id: 'new-id', name: 'Prusa' });
    p.scripts.pause = 'G1 Z5';
    expect(genericPrinterProfile().scripts.pause).toBe('');
  });
});
