// Topology and scale checks on a triangle soup. Vertices are welded on a 0.1 µm grid (exporters write
// shared corners with float noise), then each undirected edge is counted: used once it is an open
// (boundary) edge, more than twice non-manifold, and used twice in the same direction it joins two faces
// that disagree about which side is outside.
import type { MeshBounds, MeshReport, MeshWarning } from './model-types.js';

export function soupBounds(parts: readonly Float32Array[]): MeshBounds {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const positions of parts) {
    for (let i = 0; i < positions.length; i += 3) {
      for (let k = 0; k < 3; k++) {
        const v = positions[i + k];
        if (v < min[k]) min[k] = v;
        if (v > max[k]) max[k] = v;
      }
    }
  }
  return { min, max };
}

/** Positions closer than this (mm) are one corner: exporters write shared corners with float noise. */
const weldGridMm = 1e-4;

/** Index of each soup vertex into a list of distinct (welded) positions. */
export function weldVertices(positions: Float32Array): { indices: Uint32Array; vertexCount: number } {
  const count = positions.length / 3;
  let size = 1;
  while (size < count * 2) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const grid = new Float64Array(count * 3);
  const indices = new Uint32Array(count);
  let distinct = 0;
  for (let v = 0; v < count; v++) {
    const a = Math.round(positions[v * 3] / weldGridMm);
    const b = Math.round(positions[v * 3 + 1] / weldGridMm);
    const c = Math.round(positions[v * 3 + 2] / weldGridMm);
    let slot = (Math.imul(a | 0, 73856093) ^ Math.imul(b | 0, 19349663) ^ Math.imul(c | 0, 83492791)) & mask;
    for (;;) {
      const found = table[slot];
      if (found < 0) {
        table[slot] = distinct;
        grid[distinct * 3] = a;
        grid[distinct * 3 + 1] = b;
        grid[distinct * 3 + 2] = c;
        indices[v] = distinct++;
        break;
      }
      if (grid[found * 3] === a && grid[found * 3 + 1] === b && grid[found * 3 + 2] === c) {
        indices[v] = found;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { indices, vertexCount: distinct };
}

export function inspectMesh(parts: readonly Float32Array[]): MeshReport {
  let triangleCount = 0;
  let vertexCount = 0;
  let boundaryEdges = 0;
  let nonManifoldEdges = 0;
  let misorientedEdges = 0;
  let degenerateTriangles = 0;
  let signedVolume = 0;
  for (const positions of parts) {
    const { indices, vertexCount: distinct } = weldVertices(positions);
    const triangles = positions.length / 9;
    triangleCount += triangles;
    vertexCount += distinct;
    // Each undirected edge gets a slot in an open-addressing table keyed by its two corners; the slot
    // counts how often the edge is used and how often in its "forward" (low to high) direction.
    let size = 1;
    while (size < triangles * 3) size <<= 1;
    const mask = size - 1;
    const lows = new Int32Array(size).fill(-1);
    const highs = new Int32Array(size);
    const uses = new Uint16Array(size);
    const forwards = new Uint16Array(size);
    for (let t = 0; t < triangles; t++) {
      const a = indices[t * 3];
      const b = indices[t * 3 + 1];
      const c = indices[t * 3 + 2];
      const p = t * 9;
      signedVolume +=
        (positions[p] * (positions[p + 4] * positions[p + 8] - positions[p + 5] * positions[p + 7]) -
          positions[p + 1] * (positions[p + 3] * positions[p + 8] - positions[p + 5] * positions[p + 6]) +
          positions[p + 2] * (positions[p + 3] * positions[p + 7] - positions[p + 4] * positions[p + 6])) /
        6;
      if (a === b || b === c || a === c) {
        degenerateTriangles++;
        continue;
      }
      for (let k = 0; k < 3; k++) {
        const from = k === 0 ? a : k === 1 ? b : c;
        const to = k === 0 ? b : k === 1 ? c : a;
        const low = from < to ? from : to;
        const high = from < to ? to : from;
        let slot = (Math.imul(low, 0x9e3779b1) ^ Math.imul(high, 0x85ebca77)) & mask;
        while (lows[slot] !== -1 && (lows[slot] !== low || highs[slot] !== high)) slot = (slot + 1) & mask;
        if (lows[slot] === -1) {
          lows[slot] = low;
          highs[slot] = high;
        }
        if (uses[slot] < 65535) uses[slot]++;
        if (from < to && forwards[slot] < 65535) forwards[slot]++;
      }
    }
    for (let slot = 0; slot < size; slot++) {
      const count = uses[slot];
      if (count === 0) continue;
      if (count === 1) boundaryEdges++;
      else if (count > 2) nonManifoldEdges++;
      else if (forwards[slot] !== 1) misorientedEdges++;
    }
  }
  return {
    triangleCount,
    vertexCount,
    boundaryEdges,
    nonManifoldEdges,
    misorientedEdges,
    degenerateTriangles,
    signedVolume,
    watertight: boundaryEdges === 0 && nonManifoldEdges === 0,
  };
}

// Below these sizes a model was almost certainly drawn in other units: half a millimetre across is a
// metre-based scan (the Stanford bunny is 0.16 "mm"), a few millimetres is a part drawn in inches.
const metreSuspectMm = 0.5;
const inchSuspectMm = 4;

export function meshWarnings(report: MeshReport, dimensions: readonly [number, number, number]): MeshWarning[] {
  const warnings: MeshWarning[] = [];
  if (report.boundaryEdges > 0) {
    warnings.push({
      code: 'open-edges',
      count: report.boundaryEdges,
      message: `The mesh has ${report.boundaryEdges.toLocaleString('en')} open edges (holes in its surface). It can still be sliced, but walls near the holes may come out wrong.`,
    });
  }
  if (report.nonManifoldEdges > 0) {
    warnings.push({
      code: 'non-manifold-edges',
      count: report.nonManifoldEdges,
      message: `${report.nonManifoldEdges.toLocaleString('en')} edges are shared by more than two faces (non-manifold). The slice may have stray walls there.`,
    });
  }
  if (report.misorientedEdges > 0) {
    warnings.push({
      code: 'misoriented-faces',
      count: report.misorientedEdges,
      message: `Some faces point the wrong way: ${report.misorientedEdges.toLocaleString('en')} edges join faces that disagree about which side is outside. Parts of the model may be inside-out.`,
    });
  } else if (report.watertight && report.signedVolume < 0) {
    warnings.push({
      code: 'inside-out',
      message: 'The model is inside-out: all its faces point inwards. Most slicers cope, but repairing it in your modelling program is safer.',
    });
  }
  const largest = Math.max(...dimensions);
  if (largest < metreSuspectMm) {
    warnings.push({
      code: 'probably-metres',
      suggestedScale: 1000,
      message: `The model is only ${formatMm(largest)} across. It was probably made in metres: scale it by 1000 to make it ${formatMm(largest * 1000)}.`,
    });
  } else if (largest < inchSuspectMm) {
    warnings.push({
      code: 'probably-inches',
      suggestedScale: 25.4,
      message: `The model is only ${formatMm(largest)} across. If it was drawn in inches, scale it by 25.4 to make it ${formatMm(largest * 25.4)}.`,
    });
  }
  return warnings;
}

function formatMm(value: number): string {
  return `${value < 10 ? value.toPrecision(2) : Math.round(value)} mm`;
}
