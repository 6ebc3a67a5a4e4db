// Checks a printer profile the user typed before it is stored: every problem is named in plain words
// and tied to the field it belongs to, so the editor can show it next to that field.

import type { PrinterProfileRecord } from '../storage/records.js';
import { baudRates } from '../printer-panel/connect-options.js';
import { LINE_NUMBER_HEADROOM } from '../printer/engine/job-preflight.js';
import { MAX_LINE_CHARS, isAscii, stripComment, worstCaseFramedLength } from '../printer/engine/line-framing.js';

export type ProfileField =
  | 'name'
  | 'baudRate'
  | 'maxHotendTemp'
  | 'maxBedTemp'
  | 'maxChamberTemp'
  | 'extruderCount'
  | 'volume'
  | 'receiveBufferBytes'
  | 'flowControl'
  | 'scripts.pause'
  | 'scripts.resume'
  | 'scripts.cancel'
  | 'scripts.afterConnect';

export interface ProfileProblem {
  field: ProfileField;
  message: string;
}

export const profileLimits = {
  hotend: { min: 150, max: 500 },
  bed: { min: 0, max: 150 },
  chamber: { min: 0, max: 150 },
  receiveBuffer: { min: 32, max: 8192 },
  extruders: { min: 1, max: 8 },
} as const;

const scriptNames = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel', afterConnect: 'After connect' } as const;

function inRange(value: number, min: number, max: number): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}

/** Problems with one script: each command line must be plain ASCII and fit Marlin's line once numbered. */
export function scriptProblems(script: string, label: string): string[] {
  const problems: string[] = [];
  script.split(/\r?\n/).forEach((raw, index) => {
    const command = stripComment(raw);
    if (!command) return;
    const line = index + 1;
    if (!isAscii(command)) {
      problems.push(`${label} script, line ${line}: only plain ASCII characters can be sent to the printer.`);
      return;
    }
    // Scripts run in the middle of a print, when line numbers are already large.
    const length = worstCaseFramedLength(LINE_NUMBER_HEADROOM, command);
    if (length > MAX_LINE_CHARS) {
      problems.push(
        `${label} script, line ${line} is too long: with its line number and checksum it takes ${length} characters, and Marlin keeps only ${MAX_LINE_CHARS}.`,
      );
    }
  });
  return problems;
}

export function validatePrinterProfile(draft: PrinterProfileRecord): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const add = (field: ProfileField, message: string) => problems.push({ field, message });

  if (!draft.name.trim()) add('name', 'Give the printer a name, so you can tell its profile apart from others.');
  if (!baudRates.includes(draft.baudRate)) {
    add('baudRate', `The baud rate must be one of ${baudRates.join(', ')}.`);
  }
  const { hotend, bed, chamber, receiveBuffer, extruders } = profileLimits;
  if (!inRange(draft.maxHotendTemp, hotend.min, hotend.max)) {
    add('maxHotendTemp', `The highest hotend temperature must be between ${hotend.min} and ${hotend.max} °C.`);
  }
  if (!inRange(draft.maxBedTemp, bed.min, bed.max)) {
    add('maxBedTemp', `The highest bed temperature must be between ${bed.min} and ${bed.max} °C.`);
  }
  if (draft.maxChamberTemp !== undefined && !inRange(draft.maxChamberTemp, chamber.min, chamber.max)) {
    add('maxChamberTemp', `The highest chamber temperature must be between ${chamber.min} and ${chamber.max} °C, or left empty.`);
  }
  if (!Number.isInteger(draft.extruderCount) || !inRange(draft.extruderCount, extruders.min, extruders.max)) {
    add('extruderCount', `The number of extruders must be a whole number from ${extruders.min} to ${extruders.max}.`);
  }
  const { width, depth, height } = draft.volume;
  if (![width, depth, height].every((v) => Number.isFinite(v) && v > 0)) {
    add('volume', 'The build volume needs a width, depth and height greater than 0 mm.');
  }
  if (!Number.isInteger(draft.receiveBufferBytes) || !inRange(draft.receiveBufferBytes, receiveBuffer.min, receiveBuffer.max)) {
    add('receiveBufferBytes', `The receive buffer must be a whole number of bytes from ${receiveBuffer.min} to ${receiveBuffer.max} (Marlin's default is 128).`);
  }
  if (!['auto', 'safe', 'fast'].includes(draft.flowControl)) add('flowControl', 'Flow control must be auto, safe or fast.');
  for (const key of Object.keys(scriptNames) as (keyof typeof scriptNames)[]) {
    for (const message of scriptProblems(draft.scripts[key], scriptNames[key])) add(`scripts.${key}`, message);
  }
  return problems;
}
