// Renders Sliceport's app icons as PNG files into public/icons/ (run once after changing the design;
// the PNGs are committed). The design — a nozzle over three layers of a growing print — is drawn as
// shapes with 4×4 supersampling, and the PNGs are encoded here with zlib, so no image tool is needed.
//
//   node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BACKGROUND = [0xc2, 0x41, 0x0c, 255];
const FOREGROUND = [0xff, 0xf7, 0xed, 255];

// Shapes in a unit square, y down. Each is a function (x, y) → inside?
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const trapezoid = (yTop, yBottom, halfTop, halfBottom, cx) => (x, y) => {
  if (y < yTop || y > yBottom) return false;
  const t = (y - yTop) / (yBottom - yTop);
  return Math.abs(x - cx) <= halfTop + (halfBottom - halfTop) * t;
};
const motif = [
  roundedRect(0.36, 0.12, 0.64, 0.33, 0.03), // heater block
  trapezoid(0.33, 0.45, 0.12, 0.035, 0.5), // nozzle
  roundedRect(0.31, 0.53, 0.69, 0.61, 0.04), // newest layer
  roundedRect(0.24, 0.65, 0.76, 0.73, 0.04),
  roundedRect(0.17, 0.77, 0.83, 0.85, 0.04), // first layer
];

function colourAt(x, y, maskable) {
  // Maskable icons fill the square; the motif stays in the central safe zone (a circle of 80 %).
  if (!maskable && !roundedRect(0, 0, 1, 1, 0.22)(x, y)) return null;
  const scale = maskable ? 0.62 : 0.84;
  const mx = (x - 0.5) / scale + 0.5;
  const my = (y - 0.5) / scale + 0.5;
  return motif.some((inside) => inside(mx, my)) ? FOREGROUND : BACKGROUND;
}

function render(size, maskable) {
  const samples = 4;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const colour = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, maskable);
          if (!colour) continue;
          // Premultiplied accumulation, so edges against transparency do not darken.
          for (let c = 0; c < 3; c += 1) sum[c] += colour[c] * colour[3];
          sum[3] += colour[3];
        }
      }
      const at = (py * size + px) * 4;
      const alpha = sum[3] / (samples * samples);
      for (let c = 0; c < 3; c += 1) rgba[at + c] = sum[3] ? Math.round(sum[c] / sum[3]) : 0;
      rgba[at + 3] = Math.round(alpha);
    }
  }
  return rgba;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const outDir = new URL('../public/icons/', import.meta.url);
mkdirSync(outDir, { recursive: true });
const icons = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-192.png', 192, true],
  ['icon-maskable-512.png', 512, true],
  ['apple-touch-icon.png', 180, true],
];
for (const [name, size, maskable] of icons) {
  const png = encodePng(size, render(size, maskable));
  writeFileSync(new URL(name, outDir), png);
  console.log(`${name.padEnd(24)} ${size}×${size}  ${png.length} bytes`);
}
