// Reply texts exactly as Marlin 2.1 prints them.

import type { HeaterModel } from './heater-model.js';

export interface AxisPosition {
  x: number;
  y: number;
  z: number;
  e: number;
}

const STEPS_PER_MM = { x: 80, y: 80, z: 400 };

/** ` T:210.00 /210.00 B:60.00 /60.00 @:127 B@:0` (without the leading `ok`). */
export function heaterStates(hotend: HeaterModel, bed: HeaterModel): string {
  return (
    ` T:${hotend.temperature.toFixed(2)} /${hotend.target.toFixed(2)}` +
    ` B:${bed.temperature.toFixed(2)} /${bed.target.toFixed(2)}` +
    ` @:${Math.round(hotend.power * 127)} B@:${Math.round(bed.power * 127)}`
  );
}

/** M114: `X:10.00 Y:20.00 Z:0.30 E:1.23 Count X:800 Y:1600 Z:120`. */
export function positionReport(position: AxisPosition): string {
  return (
    `X:${position.x.toFixed(2)} Y:${position.y.toFixed(2)} Z:${position.z.toFixed(2)} E:${position.e.toFixed(2)}` +
    ` Count X:${Math.round(position.x * STEPS_PER_MM.x)} Y:${Math.round(position.y * STEPS_PER_MM.y)}` +
    ` Z:${Math.round(position.z * STEPS_PER_MM.z)}`
  );
}

export function bootBanner(firmwareName: string): string[] {
  const version = firmwareName.replace(/^Marlin\s+/, '').split(' ')[0] || '2.1.2.1';
  return [
    'start',
    `echo:Marlin ${version}`,
    'echo: Last Updated: 2023-07-13 | Author: (Sliceport, simulated)',
    'echo: Compiled: Jul 13 2023',
    'echo: Free Memory: 2839  PlannerBufferBytes: 1232',
    'echo:Hardcoded Default Settings Loaded',
    'echo:  G21    ; Units in mm (mm)',
    'echo:  M149 C ; Units in Celsius',
    'echo:; Steps per unit:',
    'echo: M92 X80.00 Y80.00 Z400.00 E93.00',
  ];
}

/** The capabilities a Marlin 2.1 build reports, in its order, given what this simulator does. */
export function capabilityLines(features: Record<string, boolean>, overrides: Record<string, boolean>): string[] {
  const reported: Record<string, boolean> = {
    SERIAL_XON_XOFF: false,
    BINARY_FILE_TRANSFER: false,
    EEPROM: false,
    VOLUMETRIC: true,
    AUTOREPORT_POS: features.AUTOREPORT_POS ?? false,
    AUTOREPORT_TEMP: features.AUTOREPORT_TEMP ?? false,
    PROGRESS: false,
    PRINT_JOB: true,
    AUTOLEVEL: true,
    RUNOUT: false,
    Z_PROBE: true,
    LEVELING_DATA: true,
    BUILD_PERCENT: false,
    SOFTWARE_POWER: false,
    TOGGLE_LIGHTS: false,
    CASE_LIGHT_BRIGHTNESS: false,
    EMERGENCY_PARSER: features.EMERGENCY_PARSER ?? false,
    HOST_ACTION_COMMANDS: features.HOST_ACTION_COMMANDS ?? false,
    PROMPT_SUPPORT: features.PROMPT_SUPPORT ?? false,
    SDCARD: false,
    REPEAT: false,
    SD_WRITE: false,
    AUTOREPORT_SD_STATUS: false,
    LONG_FILENAME: false,
    EXTENDED_M20: false,
    THERMAL_PROTECTION: true,
    MOTION_MODES: false,
    ARCS: true,
    BABYSTEPPING: false,
    CHAMBER_TEMPERATURE: false,
    ...overrides,
  };
  return Object.entries(reported).map(([name, on]) => `Cap:${name}:${on ? 1 : 0}`);
}
