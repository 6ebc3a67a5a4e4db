// Growable column storage for toolpath segments, held within a memory budget. Segments are kept as a
// continuous path (see `Toolpath`): one vertex per segment, attributes at the segment's end vertex.
// When the budget is full the store reduces what it keeps instead of failing: it joins connected
// segments of the same kind pairwise (a coarser polyline through every other vertex), and from then on
// joins each new segment to the previous one up to the same factor. If joining no longer helps it stops
// keeping segments and says from which line. Statistics never come from here, so a reduced store
// changes only what is drawn.
import { BYTES_PER_SEGMENT, SEGMENT_JUMP, type Toolpath } from './toolpath.js';

const INITIAL_CAPACITY = 16_384;
/** Largest joining factor before the store gives up reducing and stops keeping segments. */
const MAX_JOIN_FACTOR = 64;

export class SegmentStore {
  /** Stored segments; vertices are `count + 1` once the first segment is in. */
  count = 0;
  capacity = 0;
  // Index k describes vertex k; the attributes at k belong to the segment ending there (k - 1).
  positions = new Float32Array(0);
  lines = new Uint32Array(0);
  layers = new Uint16Array(0);
  features = new Uint8Array(0);
  flags = new Uint8Array(0);
  tools = new Uint8Array(0);

  /** How many original segments at most may be joined into one stored segment. 1 = none joined. */
  joinFactor = 1;
  /** Set when even joining could not keep within budget: later segments are not stored. */
  stopped = false;
  stoppedAtLine = 0;
  /** How many original segments the last stored one stands for. */
  private lastPieces = 0;

  /**
   * `initialCapacity` avoids growing by copies when the file size is known. Large typed arrays are
   * zero pages until written, so reserving the whole budget costs little resident memory.
   */
  constructor(readonly maxSegments: number, private readonly initialCapacity = INITIAL_CAPACITY) {}

  get reduced(): boolean {
    return this.joinFactor > 1 || this.stopped;
  }

  get bytes(): number {
    return this.capacity === 0 ? 0 : (this.capacity + 1) * BYTES_PER_SEGMENT;
  }

  add(
    x0: number, y0: number, z0: number, x1: number, y1: number, z1: number,
    line: number, layer: number, feature: number, flags: number, tool: number,
  ): void {
    if (this.stopped) return;
    if (this.count === 0) {
      if (this.capacity === 0) this.resize(Math.min(this.maxSegments, Math.max(INITIAL_CAPACITY, this.initialCapacity)));
      this.positions[0] = x0; this.positions[1] = y0; this.positions[2] = z0;
      this.lastPieces = 0;
    } else {
      const p = this.count * 3;
      const pos = this.positions;
      if (pos[p] !== Math.fround(x0) || pos[p + 1] !== Math.fround(y0) || pos[p + 2] !== Math.fround(z0)) {
        this.append(x0, y0, z0, line, layer, feature, SEGMENT_JUMP, tool);
        if (this.stopped) return;
      } else if (this.joinFactor > 1 && this.tryJoin(x1, y1, z1, line, layer, feature, flags, tool)) {
        return;
      }
    }
    this.append(x1, y1, z1, line, layer, feature, flags, tool);
  }

  /** Re-label every stored segment with one layer (when layer markers turn up after some moves). */
  relabelAll(layer: number): void {
    this.layers.fill(layer, 0, this.count + 1);
  }

  /** The toolpath as views on the store's arrays (see `Toolpath` for the layout). */
  toToolpath(): Toolpath {
    const n = this.count;
    return {
      segmentCount: n,
      positions: this.positions.subarray(0, n === 0 ? 0 : (n + 1) * 3),
      lines: this.lines.subarray(1, n + 1),
      layers: this.layers.subarray(1, n + 1),
      features: this.features.subarray(1, n + 1),
      flags: this.flags.subarray(1, n + 1),
      tools: this.tools.subarray(1, n + 1),
    };
  }

  /** Trims the arrays to the stored count when much is unused; a little slack is not worth a copy. */
  trim(): void {
    if (this.capacity > this.count * 1.25 + 1024) this.resize(this.count);
  }

  private append(x: number, y: number, z: number, line: number, layer: number, feature: number, flags: number, tool: number): void {
    if (this.count === this.capacity && !this.makeRoom(line)) return;
    const k = ++this.count;
    const p = k * 3;
    const pos = this.positions;
    pos[p] = x; pos[p + 1] = y; pos[p + 2] = z;
    this.lines[k] = line;
    this.layers[k] = layer;
    this.features[k] = feature;
    this.flags[k] = flags;
    this.tools[k] = tool;
    this.lastPieces = 1;
  }

  private tryJoin(
    x1: number, y1: number, z1: number, line: number, layer: number, feature: number, flags: number, tool: number,
  ): boolean {
    const k = this.count;
    if (this.lastPieces >= this.joinFactor || this.lastPieces === 0) return false;
    if (this.layers[k] !== layer || this.features[k] !== feature || this.flags[k] !== flags || this.tools[k] !== tool) {
      return false;
    }
    const p = k * 3;
    this.positions[p] = x1; this.positions[p + 1] = y1; this.positions[p + 2] = z1;
    this.lines[k] = line;
    this.lastPieces++;
    return true;
  }

  private makeRoom(line: number): boolean {
    if (this.capacity < this.maxSegments) {
      this.resize(Math.min(this.maxSegments, Math.max(INITIAL_CAPACITY, this.capacity * 2)));
      return true;
    }
    // Full: join until a quarter is free, or give up keeping more.
    while (this.count > this.capacity * 0.75 && this.joinFactor < MAX_JOIN_FACTOR) {
      this.joinFactor *= 2;
      this.compact();
    }
    if (this.count < this.capacity) return true;
    this.stopped = true;
    this.stoppedAtLine = line;
    return false;
  }

  /** Joins each pair of consecutive segments that share layer, feature, flags and tool. */
  private compact(): void {
    const pos = this.positions;
    let w = 0; // segments written
    let wPieces = 0;
    for (let r = 0; r < this.count; r++) {
      const src = r + 1;
      if (
        w > 0 && wPieces < 2 && this.layers[w] === this.layers[src] && this.features[w] === this.features[src] &&
        this.flags[w] === this.flags[src] && this.tools[w] === this.tools[src]
      ) {
        pos.copyWithin(w * 3, src * 3, src * 3 + 3);
        this.lines[w] = this.lines[src];
        wPieces++;
        continue;
      }
      const dst = ++w;
      if (dst !== src) {
        pos.copyWithin(dst * 3, src * 3, src * 3 + 3);
        this.lines[dst] = this.lines[src];
        this.layers[dst] = this.layers[src];
        this.features[dst] = this.features[src];
        this.flags[dst] = this.flags[src];
        this.tools[dst] = this.tools[src];
      }
      wPieces = 1;
    }
    this.count = w;
    this.lastPieces = this.joinFactor; // never extend a segment that was just compacted
  }

  private resize(capacity: number): void {
    const size = capacity + 1;
    const grow = <T extends Float32Array | Uint32Array | Uint16Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old.subarray(0, Math.min(old.length, fresh.length)));
      return fresh;
    };
    this.positions = grow(this.positions, new Float32Array(size * 3));
    this.lines = grow(this.lines, new Uint32Array(size));
    this.layers = grow(this.layers, new Uint16Array(size));
    this.features = grow(this.features, new Uint8Array(size));
    this.flags = grow(this.flags, new Uint8Array(size));
    this.tools = grow(this.tools, new Uint8Array(size));
    this.capacity = capacity;
  }
}
