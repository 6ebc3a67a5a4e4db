// Pictures that slicers embed at the top of their G-code (PrusaSlicer, SuperSlicer, OrcaSlicer and Cura's
// thumbnail option write `; thumbnail begin 220x124 15684`, base64 lines, `; thumbnail end`). Reading one
// costs a few kilobytes of the file, so the Library can show a G-code file's picture without analysing it.
// Pure: no DOM, tested in Node.

export interface EmbeddedThumbnail {
  width: number;
  height: number;
  /** 'image/png', 'image/jpeg' or 'image/qoi' (QOI cannot be shown by browsers and is skipped by `bestThumbnail`). */
  type: string;
  bytes: Uint8Array;
}

const beginPattern = /^;\s*thumbnail(?:_(PNG|JPG|QOI))?\s+begin\s+(\d+)x(\d+)\s+(\d+)/i;
const endPattern = /^;\s*thumbnail(?:_(?:PNG|JPG|QOI))?\s+end/i;

/** Every thumbnail block found in `text` (the start of a G-code file is enough). */
export function embeddedThumbnails(text: string): EmbeddedThumbnail[] {
  const found: EmbeddedThumbnail[] = [];
  let current: { width: number; height: number; type: string; base64: string[] } | null = null;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!current) {
      const begin = beginPattern.exec(line);
      if (begin) {
        const kind = (begin[1] ?? 'PNG').toUpperCase();
        current = {
          width: Number(begin[2]),
          height: Number(begin[3]),
          type: kind === 'JPG' ? 'image/jpeg' : kind === 'QOI' ? 'image/qoi' : 'image/png',
          base64: [],
        };
      }
      continue;
    }
    if (endPattern.test(line)) {
      const bytes = decodeBase64(current.base64.join(''));
      if (bytes) found.push({ width: current.width, height: current.height, type: current.type, bytes });
      current = null;
    } else if (line.startsWith(';')) {
      current.base64.push(line.slice(1).trim());
    } else {
      // A G-code line inside a block: the block was cut short.
      current = null;
    }
  }
  return found;
}

/** The largest picture a browser can show, or null. */
export function bestThumbnail(thumbnails: readonly EmbeddedThumbnail[]): EmbeddedThumbnail | null {
  const shown = thumbnails.filter((thumbnail) => thumbnail.type !== 'image/qoi' && looksRight(thumbnail));
  shown.sort((a, b) => b.width * b.height - a.width * a.height);
  return shown[0] ?? null;
}

function looksRight(thumbnail: EmbeddedThumbnail): boolean {
  const b = thumbnail.bytes;
  if (thumbnail.type === 'image/png') return b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  if (thumbnail.type === 'image/jpeg') return b[0] === 0xff && b[1] === 0xd8;
  return false;
}

function decodeBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}
