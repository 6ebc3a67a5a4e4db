// Small G-code prints made by the resume tests themselves: layers marked as Cura or PrusaSlicer mark
// them (or not at all), with temperatures, fan, retraction and a G92 E reset per layer when asked.

import { LayerIndexBuilder } from '../resume/layer-index.js';

export interface LayeredPrint {
  text: string;
  /** Commands in file order (comments and blanks removed). */
  commands: string[];
}

export function layeredPrint(options: {
  layers: number;
  movesPerLayer: number;
  markers?: 'cura' | 'prusa' | 'none';
  relativeE?: boolean;
  resetEEachLayer?: boolean;
  zHop?: number;
  layerHeight?: number;
  feed?: number;
}): LayeredPrint {
  const h = options.layerHeight ?? 0.2;
  const feed = options.feed ?? 3000;
  const lines: string[] = [';FLAVOR:Marlin', `;LAYER_COUNT:${options.layers}`, 'M140 S60', 'M104 S205', 'M190 S60', 'M109 S205', 'G28', 'G90', options.relativeE ? 'M83' : 'M82', 'G92 E0', 'G1 Z2 F3000', 'G1 X5 Y5 F6000', 'G1 Z0.3 F600', 'G1 X5 Y100 E10 F1500 ; prime line', 'G92 E0'];
  let e = 0;
  for (let layer = 0; layer < options.layers; layer++) {
    const z = h * (layer + 1);
    if (options.markers === 'prusa') lines.push(';LAYER_CHANGE', `;Z:${z.toFixed(2)}`, ';HEIGHT:0.2');
    else if (options.markers !== 'none') lines.push(`;LAYER:${layer}`);
    if (options.resetEEachLayer && !options.relativeE) {
      lines.push('G92 E0');
      e = 0;
    }
    lines.push(options.relativeE ? 'G1 E-0.8 F2100' : `G1 E${(e - 0.8).toFixed(5)} F2100`);
    if (options.zHop) lines.push(`G1 Z${(z + options.zHop).toFixed(3)} F720`);
    lines.push(`G0 X${(50 + layer).toFixed(3)} Y50 F6000`, `G1 Z${z.toFixed(3)} F720`);
    lines.push(options.relativeE ? 'G1 E0.8 F2100' : `G1 E${e.toFixed(5)} F2100`);
    if (options.markers === 'prusa') lines.push(';AFTER_LAYER_CHANGE', `;${z.toFixed(2)}`);
    if (layer === 1) lines.push('M106 S255');
    lines.push(';TYPE:WALL-OUTER');
    for (let i = 0; i < options.movesPerLayer; i++) {
      const x = 50 + layer + (i % 2 === 0 ? 20 + i * 0.01 : i * 0.01);
      const y = 50 + (i % 4 < 2 ? i * 0.013 : 20 + i * 0.013);
      const de = 0.05 + (i % 7) * 0.001;
      e += de;
      lines.push(`G1 X${x.toFixed(3)} Y${y.toFixed(3)} E${(options.relativeE ? de : e).toFixed(5)} F${feed}`);
    }
  }
  lines.push('M107', 'M104 S0', 'M140 S0', 'G91', 'G1 Z5 F600', 'G90', 'M84', ';End');
  const text = lines.join('\n') + '\n';
  return { text, commands: lines.map((l) => l.replace(/;.*$/, '').trim()).filter((l) => l.length > 0) };
}

export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

export async function* asAsync(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

/**
 * What the firmware should run when a print resumes at `layer`: the file's commands from that layer's
 * first line on, with the sender's M400 fence before every later layer.
 */
export function commandsFromLayer(text: string, layer: number): string[] {
  const builder = new LayerIndexBuilder();
  builder.feed(new TextEncoder().encode(text));
  const index = builder.finish();
  const out: string[] = [];
  const lines = text.split('\n');
  for (let l = index.layers[layer]!.line; l <= lines.length; l++) {
    // Layer markers are comment lines here, so the fence lands right before the layer's first command.
    if (index.layers.some((x) => x.line === l && x.layer > layer)) out.push('M400');
    const command = (lines[l - 1] ?? '').replace(/;.*$/, '').trim();
    if (command) out.push(command);
  }
  return out;
}
