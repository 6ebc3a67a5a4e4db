// Which printer profile a connection uses: the one chosen last time, stored in the settings, or the
// built-in generic profile when that one is gone or none was chosen.

import type { PrinterProfileRecord } from '../storage/records.js';
import { genericPrinterProfile, genericPrinterProfileId } from '../printer-panel/default-profile.js';

/** Settings key holding the id of the profile used for the last connection. */
export const ACTIVE_PROFILE_SETTING = 'printer.activeProfileId';

/** Every profile the user can pick: the generic one first, then the stored ones by name. */
export function selectableProfiles(stored: readonly PrinterProfileRecord[]): PrinterProfileRecord[] {
  const own = stored.filter((p) => p.id !== genericPrinterProfileId).sort((a, b) => a.name.localeCompare(b.name));
  return [genericPrinterProfile(), ...own];
}

export function chooseActiveProfile(stored: readonly PrinterProfileRecord[], lastUsedId: string | undefined | null): PrinterProfileRecord {
  return stored.find((p) => p.id === lastUsedId) ?? genericPrinterProfile();
}

/** A new profile, starting from the generic printer's safe values. */
export function newPrinterProfile(id: string, name = 'My printer', now = Date.now()): PrinterProfileRecord {
  const base = genericPrinterProfile(now);
  return { ...base, id, name, volume: { ...base.volume }, scripts: { ...base.scripts } };
}
