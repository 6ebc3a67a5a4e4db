// What slicers say in comments that a job's progress can use: layer changes, totals, time estimates.

export interface SlicerHint {
  layer?: number;
  layerCount?: number;
  estimateSeconds?: number;
}

export function readSlicerHint(rawLine: string): SlicerHint | null {
  const semi = rawLine.indexOf(';');
  if (semi < 0) return null;
  const c = rawLine.slice(semi + 1).trim();
  let m = /^LAYER:\s*(-?\d+)/.exec(c);
  if (m) return { layer: Number(m[1]) };
  m = /^LAYER_COUNT:\s*(\d+)/.exec(c);
  if (m) return { layerCount: Number(m[1]) };
  m = /^TIME:\s*(\d+)/.exec(c);
  if (m) return { estimateSeconds: Number(m[1]) };
  // PrusaSlicer: "; estimated printing time (normal mode) = 1h 2m 3s"
  m = /^estimated printing time(?: \(normal mode\))?\s*=\s*(.+)$/.exec(c);
  if (m) {
    const t = m[1]!;
    const part = (u: string): number => Number(new RegExp(`(\\d+)${u}`).exec(t)?.[1] ?? 0);
    return { estimateSeconds: part('d') * 86400 + part('h') * 3600 + part('m') * 60 + part('s') };
  }
  if (/^(?:AFTER_LAYER_CHANGE|LAYER_CHANGE)$/.test(c)) return { layer: -1 };
  return null;
}
