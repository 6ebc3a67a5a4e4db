export function readDefinitions(dir: string): Map<string, unknown>;
export function buildCatalog(dir: string): unknown;
