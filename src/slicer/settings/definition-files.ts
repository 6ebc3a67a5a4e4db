// The shape of Cura's `*.def.json` files, and where they come from. The same resolution code runs in
// Node (the built bundles read from disk) and in the browser (fetched from /definitions/).

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

/** Where the definitions come from, as the build recorded it (shown in Settings → About and the G-code header). */
export interface DefinitionsProvenance {
  /** "Cura resources", or "cura-wasm-definitions" when the build fell back to the 2020 package. */
  package: string;
  version: string;
  settingVersion: number;
  repository: string;
  commit: string | null;
  license: string;
  /** True when the build could not get the pinned Cura definitions and used the 2020 package instead. */
  fallback: boolean;
  /** Why the build fell back, for a person. */
  reason?: string;
  archive?: string;
  archiveSha256?: string;
  treeHash?: string;
  /** Where the build found the archive: vendor folder, cache, download, or the npm package. */
  origin?: string;
}

export interface MachineCatalog {
  settingVersion: number;
  source: DefinitionsProvenance;
  /** Lower-case definition id → the bundle (`<name>.json`) that holds it. */
  bundles: Record<string, string>;
  machines: CatalogMachine[];
}

/** A bundle file (`<name>.json`): definitions by lower-case id. */
export interface DefinitionBundle {
  format: number;
  definitions: Record<string, DefinitionFile>;
}

/** Where definition files come from. Ids are matched case-insensitively (bundles key them in lower case; references are not always). */
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
