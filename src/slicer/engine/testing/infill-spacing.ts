// Measures what the engine actually did with infill: the distance between neighbouring parallel infill
// lines in the `;TYPE:FILL` parts of one layer of the G-code.

interface Segment {
  angle: number;
  offset: number;
  length: number;
}

/** Median distance (mm) between neighbouring parallel sparse-infill lines on `layer`; null if none. */
export function infillLineSpacing(gcode: string, layer: number, minLength = 3): number | null {
  const segments: Segment[] = [];
  let x = 0;
  let y = 0;
  let e = 0;
  let relativeE = false;
  let currentLayer = -1;
  let inFill = false;
  for (const raw of gcode.split('\n')) {
    const line = raw.trim();
    if (line.startsWith(';LAYER:')) {
      currentLayer = Number(line.slice(7));
      inFill = false;
      continue;
    }
    if (line.startsWith(';TYPE:')) {
      inFill = line === ';TYPE:FILL';
      continue;
    }
    if (line.startsWith('M83')) relativeE = true;
    if (line.startsWith('M82')) relativeE = false;
    if (!/^G[01]\s/.test(line)) {
      if (line.startsWith('G92')) {
        const reset = /E(-?[\d.]+)/.exec(line);
        if (reset) e = Number(reset[1]);
      }
      continue;
    }
    const word = (letter: string) => {
      const match = new RegExp(`${letter}(-?[\\d.]+)`).exec(line.split(';')[0]);
      return match ? Number(match[1]) : undefined;
    };
    const nx = word('X') ?? x;
    const ny = word('Y') ?? y;
    const ne = word('E');
    const extrudes = ne !== undefined && (relativeE ? ne > 0 : ne > e);
    if (ne !== undefined) e = relativeE ? e + ne : ne;
    if (extrudes && inFill && currentLayer === layer) {
      const dx = nx - x;
      const dy = ny - y;
      const length = Math.hypot(dx, dy);
      if (length >= minLength) {
        let angle = Math.atan2(dy, dx);
        if (angle < 0) angle += Math.PI;
        if (angle >= Math.PI - 1e-6) angle -= Math.PI;
        const mx = (x + nx) / 2;
        const my = (y + ny) / 2;
        segments.push({ angle, offset: -Math.sin(angle) * mx + Math.cos(angle) * my, length });
      }
    }
    x = nx;
    y = ny;
  }
  if (segments.length === 0) return null;
  const groups = new Map<number, number[]>();
  for (const segment of segments) {
    const key = Math.round((segment.angle * 180) / Math.PI) % 180;
    const list = groups.get(key) ?? [];
    list.push(segment.offset);
    groups.set(key, list);
  }
  const largest = [...groups.values()].sort((a, b) => b.length - a.length)[0];
  const offsets = largest.sort((a, b) => a - b);
  const distinct: number[] = [];
  for (const offset of offsets) if (distinct.length === 0 || offset - distinct[distinct.length - 1] > 0.05) distinct.push(offset);
  if (distinct.length < 2) return null;
  const gaps = distinct.slice(1).map((offset, index) => offset - distinct[index]).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}
