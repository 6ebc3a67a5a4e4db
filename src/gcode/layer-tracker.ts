// Decides which layer each segment belongs to. Slicer comments (`;LAYER:n` from Cura, `;LAYER_CHANGE`
// from PrusaSlicer, `; layer n` from Simplify3D) are trusted when present: each marker after the first
// starts a layer, and whatever came before the first marker (start code, prime line) joins the first
// layer. Without markers a layer starts when filament is laid at a Z at least `minStep` away from the
// current layer's Z. That groups spiral-vase and non-planar files (FullControl) into Z bands of that
// height instead of one layer per move; travel moves and Z hops never start a layer.
import type { SegmentStore } from './segment-store.js';
import type { LayerRange } from './toolpath.js';

const MAX_LAYERS = 65_536;

export class LayerTracker {
  markerMode = false;
  clamped = false;
  private readonly zs: number[] = [];
  private readonly firstLines: number[] = [];
  private readonly hasExtrusion: boolean[] = [];
  private current = -1;
  private markersSeen = 0;

  constructor(private readonly store: SegmentStore, private readonly minStep: number) {}

  onMarker(z: number, line: number): void {
    this.markersSeen++;
    if (!this.markerMode) {
      this.markerMode = true;
      // Everything so far becomes the first layer, which this marker names.
      const hadExtrusion = this.hasExtrusion.some(Boolean);
      const firstZ = this.zs.find((_, i) => this.hasExtrusion[i]) ?? z;
      this.zs.length = 0;
      this.firstLines.length = 0;
      this.hasExtrusion.length = 0;
      this.open(firstZ, 1);
      this.hasExtrusion[0] = hadExtrusion;
      this.store.relabelAll(0);
      return;
    }
    this.open(z, line);
  }

  /** The layer for a segment ending at Z `z`; opens a new layer when Z says so. */
  onSegment(z: number, extrudes: boolean, line: number): number {
    if (this.current < 0) this.open(z, line);
    const c = this.current;
    if (extrudes) {
      if (!this.hasExtrusion[c]) {
        this.hasExtrusion[c] = true;
        this.zs[c] = z;
      } else if (!this.markerMode && Math.abs(z - this.zs[c]) >= this.minStep) {
        this.open(z, line);
        this.hasExtrusion[this.current] = true;
      }
    } else if (!this.hasExtrusion[c]) {
      this.zs[c] = z;
    }
    return this.current;
  }

  /** Segment ranges per layer, from the (possibly reduced) stored segments. */
  finish(store: SegmentStore): LayerRange[] {
    const count = this.zs.length;
    const ranges: LayerRange[] = [];
    const layersOf = store.layers;
    let s = 0;
    for (let layer = 0; layer < count; layer++) {
      const first = s;
      while (s < store.count && layersOf[s + 1] === layer) s++;
      ranges.push({ z: round(this.zs[layer]), firstSegment: first, endSegment: s, firstLine: this.firstLines[layer] });
    }
    return ranges;
  }

  private open(z: number, line: number): void {
    if (this.zs.length >= MAX_LAYERS) {
      this.clamped = true;
      return;
    }
    this.zs.push(z);
    this.firstLines.push(line);
    this.hasExtrusion.push(false);
    this.current = this.zs.length - 1;
  }
}

function round(z: number): number {
  return Math.round(z * 1e4) / 1e4;
}
