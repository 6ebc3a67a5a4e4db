export const bundleFormat: number;
export const baseBundle: string;
export interface DefinitionEntry {
  /** The id as upstream spells it (the file name). */
  id: string;
  json: Record<string, unknown>;
}
export function readDefinitionFolders(dirs: readonly string[]): Map<string, DefinitionEntry>;
export function planBundles(files: Map<string, DefinitionEntry>, machineIds: readonly string[]): Map<string, string>;
export function buildOutput(
  files: Map<string, DefinitionEntry>,
  source: Record<string, unknown>,
): {
  catalog: Record<string, unknown> & { machines: Record<string, unknown>[]; bundles: Record<string, string> };
  bundles: Map<string, Record<string, unknown>>;
  skipped: string[];
  unbundled: string[];
};
