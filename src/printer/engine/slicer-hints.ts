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
  // A number too long to be real (a damaged file) is no hint at all.
  let m = /^LAYER:\s*(-?\d+)/.exec(c);
  if (m) return Number.isSafeInteger(Number(m[1])) ? { layer: Number(m[1]) } : null;
  m = /^LAYER_COUNT:\s*(\d+)/.exec(c);
  if (m) return Number.isSafeInteger(Number(m[1])) ? { layerCount: Number(m[1]) } : null;
  m = /^TIME:\s*(\d+)/.exec(c);
  if (m) return Number.isSafeInteger(Number(m[1])) ? { estimateSeconds: Number(m[1]) } : null;
  // PrusaSlicer: "; estimated printing time (normal mode) = 1h 2m 3s"
  m = /^estimated printing time(?: \(normal mode\))?\s*=\s*(.+)$/.exec(c);
  if (m) {
    const t = m[1]!;
    // Digits are taken from the start of a run only, so a long run without a unit is read once.
    const part = (u: string): number => Number(new RegExp(`(?<!\\d)(\\d+)${u}`).exec(t)?.[1] ?? 0);
    const estimateSeconds = part('d') * 86400 + part('h') * 3600 + part('m') * 60 + part('s');
    return Number.isFinite(estimateSeconds) ? { estimateSeconds } : null;
  }
  if (/^(?:AFTER_LAYER_CHANGE|LAYER_CHANGE)$/.test(c)) return { layer: -1 };
  return null;
}
