// The Prepare page's setting state: the printer catalog, the chosen printer's setting stacks, the
// quality preset and the user's changes (restored from and saved to IndexedDB per printer). It
// publishes the printer, its build volume, the engine settings and the standing errors into
// `prepareSession` for the plate and the slice panel.
//
// Resolution runs on the main thread: measured (npm run bench:settings) at about 10–40 ms for a
// whole printer when the printer changes, and under 1 ms per changed setting, well inside a frame.
import type { PyValue } from '../../slicer/expression/python-values.js';
import type { CatalogMachine, DefinitionSource, DefinitionsProvenance } from '../../slicer/settings/definition-files.js';
import { buildEngineSettings } from '../../slicer/settings/engine-settings.js';
import { loadSettingStacks } from '../../slicer/settings/load-settings.js';
import { presetLabel, presetProfile, qualityPresets, type QualityPreset } from '../../slicer/settings/quality-presets.js';
import { GLOBAL, type SettingStacks } from '../../slicer/settings/setting-stacks.js';
import { emptyChanges } from '../../slicer/settings/user-changes.js';
import { prepareSession, type BuildVolume } from './prepare-session.js';
import type { SettingsPersistence } from './settings-persistence.js';

export interface SettingsControllerState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  /** For a person: what went wrong, or what is being loaded. */
  message: string | null;
  catalog: readonly CatalogMachine[];
  /** Where the printer definitions come from (a fallback build says so). */
  definitions: DefinitionsProvenance | null;
  machine: CatalogMachine | null;
  presets: readonly QualityPreset[];
  presetId: string | null;
  /** Which extruder the per-extruder settings are shown for. */
  activeExtruder: number;
  /** Bumped on every change, so views know to re-render. */
  revision: number;
}

const defaultPreset = 'standard';

export class SettingsController extends EventTarget {
  #state: SettingsControllerState = {
    status: 'idle',
    message: null,
    catalog: [],
    definitions: null,
    machine: null,
    presets: [],
    presetId: null,
    activeExtruder: 0,
    revision: 0,
  };
  #stacks: SettingStacks | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #loadToken = 0;
  #started: Promise<void> | null = null;

  constructor(
    private readonly source: DefinitionSource,
    private readonly persistence: SettingsPersistence,
  ) {
    super();
  }

  get state(): Readonly<SettingsControllerState> {
    return this.#state;
  }

  get stacks(): SettingStacks | null {
    return this.#stacks;
  }

  #update(patch: Partial<SettingsControllerState>): void {
    this.#state = { ...this.#state, ...patch, revision: this.#state.revision + 1 };
    this.dispatchEvent(new Event('change'));
  }

  /** Loads the catalog and restores the printer last used. Safe to call more than once. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async #start(): Promise<void> {
    try {
      const catalog = await this.source.catalog();
      this.#update({ catalog: catalog.machines, definitions: catalog.source ?? null });
      const last = await this.persistence.lastMachine().catch(() => null);
      if (last && catalog.machines.some((machine) => machine.id === last)) await this.selectMachine(last);
    } catch (error) {
      this.#update({ status: 'failed', message: `The printer list could not be loaded: ${describe(error)}` });
    }
  }

  async selectMachine(machineId: string): Promise<void> {
    const entry = this.#state.catalog.find((machine) => machine.id === machineId) ?? null;
    const token = ++this.#loadToken;
    this.#update({ status: 'loading', message: `Loading ${entry?.name ?? machineId}…` });
    try {
      const saved = await this.persistence.load(machineId).catch(() => null);
      const stacks = await loadSettingStacks(this.source, machineId);
      if (token !== this.#loadToken) return;
      const resolveStart = performance.now();
      const nozzle = Number(stacks.value(0, 'machine_nozzle_size'));
      const presets = qualityPresets(nozzle, Number(stacks.value(GLOBAL, 'layer_height')));
      const presetId = presets.some((p) => p.id === saved?.presetId) ? (saved?.presetId ?? null) : presets.some((p) => p.id === defaultPreset) ? defaultPreset : (presets[0]?.id ?? null);
      const preset = presets.find((p) => p.id === presetId);
      if (preset) stacks.setProfile(presetProfile(preset));
      const dropped: string[] = [];
      for (const [key, value] of Object.entries(saved?.changes.global ?? {})) {
        const result = stacks.setUserValue(GLOBAL, key, value);
        if (!result.ok) dropped.push(key);
      }
      for (const [position, values] of Object.entries(saved?.changes.extruders ?? {})) {
        if (Number(position) >= stacks.extruderTrainCount) continue;
        for (const [key, value] of Object.entries(values)) {
          const result = stacks.setUserValue(Number(position), key, value);
          if (!result.ok) dropped.push(key);
        }
      }
      stacks.resolveAll();
      // Visible in the browser's performance timeline: what a printer switch costs on this machine.
      performance.measure('sliceport:settings-resolve-printer', { start: resolveStart, end: performance.now() });
      this.#stacks = stacks;
      this.#update({
        status: 'ready',
        message: dropped.length ? `Some saved settings no longer apply to this printer and were left out: ${dropped.join(', ')}.` : null,
        machine: entry ?? { id: machineId, name: stacks.machine.definition.name, manufacturer: '', width: 0, depth: 0, height: 0, shape: 'rectangular', originAtCenter: false, extruderCount: stacks.extruderCount, concrete: true },
        presets,
        presetId,
        activeExtruder: 0,
      });
      this.#publish();
      void this.persistence.saveLastMachine(machineId).catch(() => undefined);
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.#update({ status: 'failed', message: `This printer could not be loaded: ${describe(error)}` });
    }
  }

  /** Per-extruder settings go to the active extruder, the others to the global stack (as Cura does). */
  stackFor(key: string): number {
    const stacks = this.#stacks;
    if (!stacks) return GLOBAL;
    const definition = stacks.definitionOf(key, this.#state.activeExtruder);
    return definition?.settablePerExtruder !== false && stacks.has(this.#state.activeExtruder, key) ? this.#state.activeExtruder : GLOBAL;
  }

  value(key: string): PyValue {
    return this.#stacks?.value(this.stackFor(key), key) ?? null;
  }

  /** Changes a setting. Returns a message for a person when the value is refused. */
  setValue(key: string, input: unknown): string | null {
    const stacks = this.#stacks;
    if (!stacks) return 'Choose a printer first.';
    const start = performance.now();
    const result = stacks.setUserValue(this.stackFor(key), key, input);
    if (!result.ok) return result.message;
    this.#changed();
    performance.measure('sliceport:settings-change', { start, end: performance.now() });
    return null;
  }

  reset(key: string): void {
    const stacks = this.#stacks;
    if (!stacks) return;
    stacks.clearUserValue(this.stackFor(key), key);
    this.#changed();
  }

  setPreset(presetId: string): void {
    const stacks = this.#stacks;
    const preset = this.#state.presets.find((p) => p.id === presetId);
    if (!stacks || !preset) return;
    stacks.setProfile(presetProfile(preset));
    // A preset decides the layer height: a user change of it would hide the choice.
    stacks.clearUserValue(GLOBAL, 'layer_height');
    this.#update({ presetId });
    this.#changed();
  }

  /** The picker's name for a preset: the chosen one says when the user's changes modify it. */
  presetLabel(preset: QualityPreset): string {
    const stacks = this.#stacks;
    if (!stacks || preset.id !== this.#state.presetId) return presetLabel(preset);
    return presetLabel(preset, { layerHeight: Number(stacks.value(GLOBAL, 'layer_height')), changes: stacks.userChanges() });
  }

  setActiveExtruder(position: number): void {
    if (!this.#stacks || position < 0 || position >= this.#stacks.extruderCount) return;
    this.#update({ activeExtruder: position });
  }

  #changed(): void {
    this.#update({});
    this.#publish();
    this.#scheduleSave();
  }

  #scheduleSave(): void {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => void this.flush(), 300);
  }

  /** Writes pending changes now (also called before the page goes away). */
  async flush(): Promise<void> {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    const stacks = this.#stacks;
    const machine = this.#state.machine;
    if (!stacks || !machine) return;
    try {
      await this.persistence.save(machine.id, stacks.userChanges() ?? emptyChanges(), this.#state.presetId);
    } catch (error) {
      this.#update({ message: `Your setting changes could not be saved (they still apply until you leave): ${describe(error)}` });
    }
  }

  #publish(): void {
    const stacks = this.#stacks;
    const machine = this.#state.machine;
    if (!stacks || !machine) return;
    const volume: BuildVolume = {
      width: Number(stacks.value(GLOBAL, 'machine_width')),
      depth: Number(stacks.value(GLOBAL, 'machine_depth')),
      height: Number(stacks.value(GLOBAL, 'machine_height')),
      shape: stacks.value(GLOBAL, 'machine_shape') === 'elliptic' ? 'elliptic' : 'rectangular',
      originAtCenter: stacks.value(GLOBAL, 'machine_center_is_zero') === true,
    };
    const errors = stacks.errors();
    prepareSession.update({
      machineDefinitionId: machine.id,
      printerName: machine.name,
      volume,
      engineSettings: buildEngineSettings(stacks),
      settingErrors: errors.map((error) => ({
        key: error.key,
        message: stacks.extruderCount > 1 && error.stack !== 'global' ? `Extruder ${Number(error.stack) + 1}: ${error.message}` : error.message,
      })),
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
