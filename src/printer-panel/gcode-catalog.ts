// Common Marlin G-codes with a one-line description, for the terminal's autocomplete.
// Descriptions follow marlinfw.org/docs/gcode, worded for printer owners.

export interface GcodeEntry {
  code: string;
  description: string;
  /** A typical use, shown as a hint. */
  example?: string;
}

export const marlinCatalog: readonly GcodeEntry[] = [
  { code: 'G0', description: 'Travel move (no extrusion)', example: 'G0 X100 Y100 F6000' },
  { code: 'G1', description: 'Linear move, optionally extruding', example: 'G1 X10 E2 F1500' },
  { code: 'G2', description: 'Clockwise arc move', example: 'G2 X10 Y10 I5 J0' },
  { code: 'G3', description: 'Counter-clockwise arc move', example: 'G3 X10 Y10 I5 J0' },
  { code: 'G4', description: 'Dwell: wait a number of seconds or milliseconds', example: 'G4 S2' },
  { code: 'G10', description: 'Firmware retract' },
  { code: 'G11', description: 'Firmware unretract (recover)' },
  { code: 'G20', description: 'Units in inches' },
  { code: 'G21', description: 'Units in millimetres' },
  { code: 'G28', description: 'Home all axes, or the ones named', example: 'G28 X Y' },
  { code: 'G29', description: 'Bed levelling probe (auto bed levelling)' },
  { code: 'G90', description: 'Absolute positioning' },
  { code: 'G91', description: 'Relative positioning' },
  { code: 'G92', description: 'Set the current position without moving', example: 'G92 E0' },
  { code: 'M0', description: 'Stop and wait for the user (unconditional)' },
  { code: 'M17', description: 'Enable stepper motors' },
  { code: 'M18', description: 'Disable stepper motors (same as M84)' },
  { code: 'M20', description: 'List the files on the SD card' },
  { code: 'M21', description: 'Initialise the SD card' },
  { code: 'M27', description: 'Report SD print status' },
  { code: 'M82', description: 'Extruder in absolute mode' },
  { code: 'M83', description: 'Extruder in relative mode' },
  { code: 'M84', description: 'Disable stepper motors (motors off)' },
  { code: 'M104', description: 'Set hotend temperature, do not wait', example: 'M104 S200' },
  { code: 'M105', description: 'Report temperatures' },
  { code: 'M106', description: 'Set fan speed (0–255)', example: 'M106 S255' },
  { code: 'M107', description: 'Fan off' },
  { code: 'M108', description: 'Break out of a heating wait or a user pause' },
  { code: 'M109', description: 'Set hotend temperature and wait for it', example: 'M109 S200' },
  { code: 'M110', description: 'Set the current line number', example: 'M110 N0' },
  { code: 'M112', description: 'Emergency stop: kill heaters and motors at once' },
  { code: 'M113', description: 'Set the busy keepalive interval', example: 'M113 S2' },
  { code: 'M114', description: 'Report the current position' },
  { code: 'M115', description: 'Report firmware name and capabilities' },
  { code: 'M117', description: 'Show a message on the printer display', example: 'M117 Hello' },
  { code: 'M119', description: 'Report endstop states' },
  { code: 'M140', description: 'Set bed temperature, do not wait', example: 'M140 S60' },
  { code: 'M141', description: 'Set chamber temperature, do not wait', example: 'M141 S40' },
  { code: 'M154', description: 'Position auto-report interval', example: 'M154 S1' },
  { code: 'M155', description: 'Temperature auto-report interval', example: 'M155 S2' },
  { code: 'M190', description: 'Set bed temperature and wait for it', example: 'M190 S60' },
  { code: 'M191', description: 'Set chamber temperature and wait for it' },
  { code: 'M201', description: 'Set maximum acceleration per axis' },
  { code: 'M203', description: 'Set maximum feed rate per axis' },
  { code: 'M204', description: 'Set starting acceleration' },
  { code: 'M205', description: 'Set advanced settings (jerk, minimum speeds)' },
  { code: 'M206', description: 'Set home offsets' },
  { code: 'M211', description: 'Software endstops on or off' },
  { code: 'M220', description: 'Speed override in percent', example: 'M220 S100' },
  { code: 'M221', description: 'Flow (extrusion) override in percent', example: 'M221 S100' },
  { code: 'M290', description: 'Babystep: nudge an axis while printing', example: 'M290 Z0.05' },
  { code: 'M300', description: 'Play a beep', example: 'M300 S440 P200' },
  { code: 'M303', description: 'PID autotune a heater', example: 'M303 E0 S200 C8' },
  { code: 'M400', description: 'Wait for all moves to finish' },
  { code: 'M410', description: 'Quick stop: abort all moves' },
  { code: 'M500', description: 'Save settings to EEPROM' },
  { code: 'M501', description: 'Load settings from EEPROM' },
  { code: 'M502', description: 'Reset settings to firmware defaults (not saved)' },
  { code: 'M503', description: 'Report current settings' },
  { code: 'M524', description: 'Abort the SD card print' },
  { code: 'M600', description: 'Filament change' },
  { code: 'M851', description: 'Set the probe Z offset', example: 'M851 Z-1.5' },
  { code: 'M876', description: 'Answer a host prompt', example: 'M876 S0' },
  { code: 'M900', description: 'Linear advance factor', example: 'M900 K0.05' },
  { code: 'M999', description: 'Restart after an error stop' },
];

const byCode = new Map(marlinCatalog.map((entry) => [entry.code, entry]));

function codeOrder(code: string): [string, number] {
  return [code[0] ?? '', Number(code.slice(1))];
}

/**
 * Suggestions for what is being typed: the first word, matched by prefix (`m10` → M104, M105…),
 * numerically ordered so `M1` lists M104 before M1040-style custom codes would.
 */
export function suggestGcodes(input: string, limit = 8): GcodeEntry[] {
  const word = input.trimStart().split(/\s+/)[0]?.toUpperCase() ?? '';
  if (word === '' || input.trimStart().length > word.length) return [];
  const exact = byCode.get(word);
  const matches = marlinCatalog.filter((entry) => entry.code.startsWith(word) && entry !== exact);
  matches.sort((a, b) => {
    const [la, na] = codeOrder(a.code);
    const [lb, nb] = codeOrder(b.code);
    return la === lb ? na - nb : la < lb ? -1 : 1;
  });
  return (exact ? [exact, ...matches] : matches).slice(0, limit);
}

/** The description of the command at the start of a line, for a hint under the input. */
export function describeGcode(input: string): GcodeEntry | undefined {
  const word = input.trimStart().split(/\s+/)[0]?.toUpperCase() ?? '';
  return byCode.get(word);
}
