// What the firmware said it can do (M115 `Cap:` lines) and what the host does about it.

import type { FirmwareInfo } from '../link-api.js';

export const CAP = {
  autoreportTemp: 'AUTOREPORT_TEMP',
  autoreportPos: 'AUTOREPORT_POS',
  autoreportSdStatus: 'AUTOREPORT_SD_STATUS',
  emergencyParser: 'EMERGENCY_PARSER',
  hostActions: 'HOST_ACTION_COMMANDS',
  promptSupport: 'PROMPT_SUPPORT',
  sdCard: 'SDCARD',
  arcs: 'ARCS',
} as const;

export function hasCap(firmware: FirmwareInfo | undefined, name: string): boolean {
  return firmware?.capabilities[name] === true;
}

/** Autoreport intervals the host asks for, in seconds. */
export const AUTOREPORT_SECONDS = { temperature: 1, position: 1, sdStatus: 2 };

/** Commands sent right after the handshake to switch on the reports the firmware offers. */
export function autoreportCommands(firmware: FirmwareInfo | undefined): string[] {
  const out: string[] = [];
  if (hasCap(firmware, CAP.autoreportTemp)) out.push(`M155 S${AUTOREPORT_SECONDS.temperature}`);
  if (hasCap(firmware, CAP.autoreportPos)) out.push(`M154 S${AUTOREPORT_SECONDS.position}`);
  if (hasCap(firmware, CAP.autoreportSdStatus) && hasCap(firmware, CAP.sdCard)) out.push(`M27 S${AUTOREPORT_SECONDS.sdStatus}`);
  return out;
}

export function isMarlinFamily(firmware: FirmwareInfo | undefined): boolean {
  return /marlin/i.test(firmware?.name ?? '') || /marlin/i.test(firmware?.fields['SOURCE_CODE_URL'] ?? '');
}
