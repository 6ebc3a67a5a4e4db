// The shape of Cura's `*.def.json` files, and where they come from. The same resolution code runs in
// Node (files from the cura-wasm-definitions package) and in the browser (fetched from /definitions/).

export interface SettingJson {
  label?: string;
  description?: string;
  type?: string;
  unit?: string;
  icon?: string;
  options?: Record<string, string>;
  default_value?: unknown;
  value?: unknown;
  enabled?: unknown;
  resolve?: unknown;
  limit_to_extruder?: unknown;
  minimum_value?: unknown;
  maximum_value?: unknown;
  minimum_value_warning?: unknown;
  maximum_value_warning?: unknown;
  warning_value?: unknown;
  error_value?: unknown;
  settable_per_mesh?: boolean;
  settable_per_extruder?: boolean;
  settable_per_meshgroup?: boolean;
  settable_globally?: boolean;
  children?: Record<string, SettingJson>;
  [property: string]: unknown;
}

export interface DefinitionFile {
  name: string;
  version?: number;
  inherits?: string;
  metadata?: Record<string, unknown>;
  settings?: Record<string, SettingJson>;
  overrides?: Record<string, SettingJson>;
}

/** One entry of the printer catalog (`definitions/catalog.json`). */
export interface CatalogMachine {
  /** Definition id (as the file is named: lower case). */
  id: string;
  name: string;
  manufacturer: string;
  width: number;
  depth: number;
  height: number;
  shape: 'rectangular' | 'elliptic';
  originAtCenter: boolean;
  extruderCount: number;
  /** A printer a user can own, as opposed to an abstract base definition (e.g. `creality_base`). */
  concrete: boolean;
}

export interface MachineCatalog {
  settingVersion: number;
  machines: CatalogMachine[];
}

/** Where definition files come from. Ids are matched case-insensitively (the files are lower-cased, some references are not). */
export interface DefinitionSource {
  load(id: string): Promise<DefinitionFile>;
  catalog(): Promise<MachineCatalog>;
}

export class DefinitionNotFoundError extends Error {
  constructor(readonly definitionId: string, detail?: string) {
    super(`The printer definition "${definitionId}" was not found${detail ? ` (${detail})` : ''}.`);
    this.name = 'DefinitionNotFoundError';
  }
}

/** The file name a definition id is stored under. */
export function definitionFileName(id: string): string {
  return `${id.toLowerCase()}.def.json`;
}
