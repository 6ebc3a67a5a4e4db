// Names the printer catalog the settings came from, from the catalog's own description of its source
// (definitions/catalog.json, "source"), for the G-code header and the About section. Read defensively:
// an older or partial catalog simply gives a shorter name, or none.

export function describeCatalog(catalog: unknown): string | undefined {
  if (catalog === null || typeof catalog !== 'object') return undefined;
  const record = catalog as Record<string, unknown>;
  const source = record.source !== null && typeof record.source === 'object' ? (record.source as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const name = text(source.package) ?? text(source.name);
  const version = text(source.version);
  const settingVersion = typeof record.settingVersion === 'number' ? record.settingVersion : typeof source.settingVersion === 'number' ? source.settingVersion : undefined;
  const commit = text(source.commit);
  if (!name && !version && settingVersion === undefined) return undefined;
  const parts = [[name ?? 'Printer definitions', version].filter(Boolean).join(' ')];
  const details = [
    settingVersion === undefined ? undefined : `setting_version ${settingVersion}`,
    commit ? `commit ${commit.slice(0, 10)}` : undefined,
    source.fallback === true ? 'fallback' : undefined,
  ].filter(Boolean);
  if (details.length > 0) parts.push(`(${details.join(', ')})`);
  return parts.join(' ');
}
