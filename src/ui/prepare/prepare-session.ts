// The state the Prepare view's parts share: the chosen printer, the objects on the plate, the resolved
// settings. The build plate, the settings panel and the slice panel each read and write their part here
// and re-render on `change`. Plain data; no DOM beyond EventTarget, which Node has too.

import type { EngineSettings } from '../../slicer/slice-api.js';

import type { BuildVolume, PlateObject } from '../../models/plate-types.js';

export type { BuildVolume, PlacementMatrix, PlateObject } from '../../models/plate-types.js';

export interface PrepareState {
  machineDefinitionId: string | null;
  printerName: string | null;
  volume: BuildVolume;
  objects: PlateObject[];
  selectedIds: string[];
  /** Every setting resolved and formatted for the engine (set by the settings panel); null until known. */
  engineSettings?: EngineSettings | null;
  /** Settings that stand in error: slicing is refused while any stands. */
  settingErrors?: readonly SettingProblem[];
}

export interface SettingProblem {
  key: string;
  /** For a person, e.g. "Layer Height must be at most 0.32 mm". */
  message: string;
}

const defaultVolume: BuildVolume = { width: 220, depth: 220, height: 250, shape: 'rectangular', originAtCenter: false };

export class PrepareSession extends EventTarget {
  #state: PrepareState = {
    machineDefinitionId: null,
    printerName: null,
    volume: defaultVolume,
    objects: [],
    selectedIds: [],
  };

  get state(): Readonly<PrepareState> {
    return this.#state;
  }

  update(patch: Partial<PrepareState>): void {
    this.#state = { ...this.#state, ...patch };
    this.dispatchEvent(new Event('change'));
  }
}

/** One session per page: the Prepare view's parts find it here. */
export const prepareSession = new PrepareSession();
