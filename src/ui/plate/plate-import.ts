// Getting models onto the plate: a file from the picker, a drop or the library goes through the model
// worker; what loads is put on the plate and kept in the library, what does not gets a plain message and
// changes nothing.
import { appStorage } from '../../app/app-storage.js';
import { importModelBytes, importModelFile, renderModelThumbnailOffscreen } from '../../models/model-client.js';
import type { MeshWarning } from '../../models/model-types.js';
import { contentHash } from '../../storage/content-hash.js';
import { findModelDuplicate } from '../../storage/library-duplicates.js';
import { toStorageError } from '../../storage/storage-error.js';
import type { PlateEditor } from './plate-editor.js';

export interface PlateImportReport {
  fileName: string;
  ok: boolean;
  /** For a person: the error, or what happened. */
  message: string;
  warnings: MeshWarning[];
  ids: string[];
}

const modelExtensions = /\.(stl|obj|3mf)$/i;

export function isModelFileName(name: string): boolean {
  return modelExtensions.test(name);
}

export async function importFileToPlate(file: File, editor: PlateEditor): Promise<PlateImportReport> {
  const outcome = await importModelFile(file, file.name);
  if (!outcome.ok) {
    if (outcome.error.detail) console.info(`Model import of ${file.name} failed: ${outcome.error.detail}`);
    return { fileName: file.name, ok: false, message: `${file.name}: ${outcome.error.message}`, warnings: [], ids: [] };
  }
  const { model } = outcome;
  let modelId: string | undefined;
  let note = '';
  try {
    const storage = await appStorage();
    const bytes = await file.arrayBuffer();
    const hash = await contentHash(new Uint8Array(bytes));
    // The same file added again goes on the plate from the Library entry it already has.
    const existing = await findModelDuplicate(storage, {
      name: file.name,
      size: bytes.byteLength,
      contentHash: hash,
      chunks: async function* () {
        yield new Uint8Array(bytes);
      },
    });
    if (existing) {
      modelId = existing.id;
      note = ` It is already in the Library${existing.name === file.name ? '' : ` as “${existing.name}”`}, so no second copy was kept.`;
    } else {
      const saved = await storage.models.add({
        name: file.name,
        bytes,
        contentHash: hash,
        format: model.format,
        triangleCount: model.triangleCount,
        dimensions: model.dimensions,
      });
      modelId = saved.id;
      void storeThumbnail(saved.id, file);
    }
  } catch (error) {
    note = ` It could not be kept in the library: ${toStorageError(error, `save ${file.name}`).message}`;
  }
  const added = editor.addModel(model, modelId);
  const crowded = added.crowded ? ' The bed is full, so it was placed over the others: use Arrange.' : '';
  return {
    fileName: file.name,
    ok: true,
    message: `Added ${file.name} (${model.triangleCount.toLocaleString('en')} triangles).${warningNote(model.warnings)}${crowded}${note}`,
    warnings: model.warnings,
    ids: added.ids,
  };
}

export async function importLibraryModelToPlate(modelId: string, editor: PlateEditor): Promise<PlateImportReport> {
  let record;
  try {
    record = await (await appStorage()).models.get(modelId);
  } catch (error) {
    return { fileName: modelId, ok: false, message: toStorageError(error, `read model ${modelId}`).message, warnings: [], ids: [] };
  }
  if (!record) {
    return { fileName: modelId, ok: false, message: 'That model is no longer in the library.', warnings: [], ids: [] };
  }
  // The worker takes the buffer; the stored record keeps its own copy.
  const outcome = await importModelBytes(record.bytes.slice(0), record.name);
  if (!outcome.ok) return { fileName: record.name, ok: false, message: `${record.name}: ${outcome.error.message}`, warnings: [], ids: [] };
  const added = editor.addModel(outcome.model, record.id);
  if (!record.thumbnail) void storeThumbnail(record.id, new Blob([record.bytes]), record.name);
  return {
    fileName: record.name,
    ok: true,
    message: `Added ${record.name} from the library.${warningNote(outcome.model.warnings)}`,
    warnings: outcome.model.warnings,
    ids: added.ids,
  };
}

function warningNote(warnings: readonly MeshWarning[]): string {
  const worth = warnings.filter((warning) => warning.code !== 'zero-normals');
  if (worth.length === 0) return '';
  const scale = worth.find((warning) => warning.suggestedScale);
  const first = scale ?? worth[0];
  return ` ${first.message}${worth.length > 1 ? ` (and ${worth.length - 1} more note${worth.length > 2 ? 's' : ''} beside the object)` : ''}`;
}

/** Renders and saves a library thumbnail; a failure only means no picture. */
export async function storeThumbnail(modelId: string, file: Blob, name = (file as File).name ?? 'model.stl'): Promise<boolean> {
  const picture = await renderModelThumbnailOffscreen(file, name, 160);
  if (!picture.ok) return false;
  try {
    await (await appStorage()).models.update(modelId, { thumbnail: picture.png });
    return true;
  } catch {
    return false;
  }
}
