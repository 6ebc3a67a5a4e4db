// <sp-model-thumbnail>: a library model's picture. Uses the stored PNG; when there is none yet (a model
// added from the Library or opened with Sliceport), renders one off-screen in the model worker and keeps it.
import { customElement, property } from 'lit/decorators.js';
import { appStorage } from '../../app/app-storage.js';
import { BlobThumbnail } from './blob-thumbnail.js';
import { storeThumbnail } from '../plate/plate-import.js';

/** Models whose picture is being made, so two lists showing one model render it once. */
const rendering = new Map<string, Promise<boolean>>();

@customElement('sp-model-thumbnail')
export class ModelThumbnail extends BlobThumbnail {
  @property({ attribute: 'model-id' }) modelId = '';
  protected readonly sourceProperty = 'modelId';
  protected readonly missingLabel = 'No picture';

  protected async load(): Promise<void> {
    if (!this.modelId) return;
    if (this.thumbnail) return this.show(this.thumbnail);
    const id = this.modelId;
    try {
      const storage = await appStorage();
      const summary = await storage.models.getSummary(id);
      if (summary?.thumbnail) return this.show(summary.thumbnail);
      let job = rendering.get(id);
      if (!job) {
        job = storage.models.get(id).then((record) => (record ? storeThumbnail(id, new Blob([record.bytes]), record.name) : false));
        rendering.set(id, job);
        void job.finally(() => rendering.delete(id));
      }
      const made = await job;
      const after = made ? await storage.models.getSummary(id) : undefined;
      if (after?.thumbnail && this.modelId === id) this.show(after.thumbnail);
      else this.missing = true;
    } catch {
      this.missing = true;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-model-thumbnail': ModelThumbnail;
  }
}
