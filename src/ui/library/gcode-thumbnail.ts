// <sp-gcode-thumbnail>: a library G-code file's picture. Uses the stored one, or the picture the slicer
// embedded at the top of the file (read once from the first chunks, then stored). Files without one show
// a plain label; drawing their toolpaths is the preview's job, not a list's.
import { customElement, property } from 'lit/decorators.js';
import { appStorage } from '../../app/app-storage.js';
import { BlobThumbnail } from './blob-thumbnail.js';
import { bestThumbnail, embeddedThumbnails } from './embedded-thumbnail.js';

/** Slicers put their pictures in the first lines; this is far more than any writes. */
const headBytes = 512 * 1024;
/** Files already looked at in this page without finding a picture. */
const without = new Set<string>();

@customElement('sp-gcode-thumbnail')
export class GcodeThumbnail extends BlobThumbnail {
  @property({ attribute: 'gcode-id' }) gcodeId = '';
  protected readonly sourceProperty = 'gcodeId';
  protected readonly missingLabel = 'G-code';
  private loadingFor = '';

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loadingFor = '';
  }

  protected async load(): Promise<void> {
    if (!this.gcodeId) return;
    if (this.thumbnail) return this.show(this.thumbnail);
    const id = this.gcodeId;
    if (without.has(id)) {
      this.missing = true;
      return;
    }
    if (this.loadingFor === id) return;
    this.loadingFor = id;
    try {
      const storage = await appStorage();
      const record = await storage.gcode.get(id);
      if (record?.thumbnail) return this.show(record.thumbnail);
      const parts: Uint8Array[] = [];
      let read = 0;
      for await (const chunk of storage.gcode.chunks(id)) {
        parts.push(chunk);
        read += chunk.byteLength;
        if (read >= headBytes) break;
      }
      const head = new TextDecoder('latin1').decode(concatenate(parts, Math.min(read, headBytes)));
      const best = bestThumbnail(embeddedThumbnails(head));
      if (!best) {
        without.add(id);
        this.missing = true;
        return;
      }
      const blob = new Blob([best.bytes as BlobPart], { type: best.type });
      await storage.gcode.update(id, { thumbnail: blob });
      if (this.gcodeId === id) this.show(blob);
    } catch {
      this.missing = true;
    } finally {
      this.loadingFor = '';
    }
  }
}

function concatenate(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    if (offset >= length) break;
    const take = part.subarray(0, length - offset);
    out.set(take, offset);
    offset += take.length;
  }
  return out;
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-gcode-thumbnail': GcodeThumbnail;
  }
}
