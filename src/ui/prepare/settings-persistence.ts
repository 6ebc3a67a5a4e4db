// Where the Prepare page keeps the user's choices: the printer last used, and per printer the
// setting changes (a SlicingProfileRecord) and the quality preset. Backed by IndexedDB through the
// app's storage; a failure to save is reported, never fatal: the settings stay usable in memory.
import { appStorage } from '../../app/app-storage.js';
import type { SettingChanges } from '../../slicer/settings/user-changes.js';
import type { SlicingProfileRecord } from '../../storage/records.js';

export interface SettingsPersistence {
  lastMachine(): Promise<string | null>;
  saveLastMachine(machineId: string): Promise<void>;
  load(machineId: string): Promise<{ changes: SettingChanges; presetId: string | null } | null>;
  save(machineId: string, changes: SettingChanges, presetId: string | null): Promise<void>;
}

const profileId = (machineId: string) => `machine:${machineId}`;

export class StoredSettings implements SettingsPersistence {
  async lastMachine(): Promise<string | null> {
    const storage = await appStorage();
    return storage.settings.get<string | null>('prepare.machine', null);
  }

  async saveLastMachine(machineId: string): Promise<void> {
    const storage = await appStorage();
    await storage.settings.set('prepare.machine', machineId);
  }

  async load(machineId: string): Promise<{ changes: SettingChanges; presetId: string | null } | null> {
    const storage = await appStorage();
    const record = await storage.slicingProfiles.get(profileId(machineId));
    const presetId = await storage.settings.get<string | null>(`prepare.quality.${machineId}`, null);
    if (!record && !presetId) return null;
    const changes: SettingChanges = {
      global: { ...(record?.changes.global ?? {}) },
      extruders: Object.fromEntries(Object.entries(record?.changes.extruders ?? {}).map(([k, v]) => [k, { ...v }])),
    };
    return { changes, presetId };
  }

  async save(machineId: string, changes: SettingChanges, presetId: string | null): Promise<void> {
    const storage = await appStorage();
    const record: SlicingProfileRecord = {
      id: profileId(machineId),
      printerId: profileId(machineId),
      name: 'My settings',
      machineDefinitionId: machineId,
      changes,
      updatedAt: Date.now(),
    };
    await storage.slicingProfiles.put(record);
    await storage.settings.set(`prepare.quality.${machineId}`, presetId);
  }
}
