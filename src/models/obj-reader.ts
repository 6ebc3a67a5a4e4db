// Wavefront OBJ: vertices (`v`) and faces (`f`), the only parts a print needs. Faces with more than three
// corners are split as fans, negative indices count back from the latest vertex, `vt`/`vn` references
// after a slash are ignored. three's OBJLoader does the same but builds JS arrays, materials and one
// object per group on the way, and ran at about 1 MB/s on the Stanford bunny; this reader streams the text once.
import { FloatList } from './float-list.js';
import { ModelImportError, type ImportLimits, type MeshWarning } from './model-types.js';

export interface ObjContent {
  positions: Float32Array;
  warnings: MeshWarning[];
}

export function readObj(bytes: Uint8Array, limits: ImportLimits): ObjContent {
  const text = new TextDecoder('utf-8').decode(bytes);
  const vertices = new FloatList();
  const soup = new FloatList();
  const corners: number[] = [];
  let lineNumber = 0;
  let faceCount = 0;
  let skippedElements = 0;
  let start = 0;
  const length = text.length;
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    lineNumber++;
    let i = start;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const first = text.charCodeAt(i);
    const second = text.charCodeAt(i + 1);
    const separated = second === 32 || second === 9;
    if (first === 118 /* v */ && separated) {
      const fields = text.slice(i + 2, end).trim().split(/\s+/);
      const x = Number(fields[0]);
      const y = Number(fields[1]);
      const z = Number(fields[2]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z) || !Number.isFinite(Math.fround(x) + Math.fround(y) + Math.fround(z))) {
        throw new ModelImportError(
          'invalid-number',
          `This OBJ file has a broken coordinate on line ${lineNumber}. Repair or re-export it.`,
          text.slice(start, Math.min(end, start + 120)),
        );
      }
      vertices.push3(x, y, z);
    } else if (first === 102 /* f */ && separated) {
      const fields = text.slice(i + 2, end).trim().split(/\s+/);
      const count = vertices.length / 3;
      corners.length = 0;
      for (const field of fields) {
        if (!field) continue;
        const slash = field.indexOf('/');
        const index = Number(slash < 0 ? field : field.slice(0, slash));
        const resolved = index < 0 ? count + index : index - 1;
        if (!Number.isInteger(index) || index === 0 || resolved < 0 || resolved >= count) {
          throw new ModelImportError(
            'bad-obj',
            `This OBJ file has a face on line ${lineNumber} that points to a vertex that does not exist. Repair or re-export it.`,
            text.slice(start, Math.min(end, start + 120)),
          );
        }
        corners.push(resolved * 3);
      }
      if (corners.length < 3) {
        skippedElements++;
      } else {
        const v = vertices.data;
        for (let k = 1; k + 1 < corners.length; k++) {
          const a = corners[0];
          const b = corners[k];
          const c = corners[k + 1];
          soup.push3(v[a], v[a + 1], v[a + 2]);
          soup.push3(v[b], v[b + 1], v[b + 2]);
          soup.push3(v[c], v[c + 1], v[c + 2]);
          faceCount++;
        }
        if (faceCount > limits.maxTriangles) {
          throw new ModelImportError(
            'too-big',
            `This model has more than ${limits.maxTriangles.toLocaleString('en')} triangles, more than Sliceport can handle. Simplify it first.`,
          );
        }
      }
    } else if ((first === 108 /* l */ || first === 112) /* p */ && separated) {
      skippedElements++;
    }
    start = end + 1;
  }
  if (vertices.length === 0 || faceCount === 0) {
    throw new ModelImportError(
      'no-triangles',
      vertices.length === 0 ? 'This OBJ file has no vertices, so there is nothing to print.' : 'This OBJ file has points but no faces, so there is nothing to print.',
    );
  }
  const warnings: MeshWarning[] = [];
  if (skippedElements > 0) {
    warnings.push({
      code: 'skipped-content',
      count: skippedElements,
      message: `${skippedElements.toLocaleString('en')} lines, points or faces with fewer than three corners were skipped: they cannot be printed.`,
    });
  }
  return { positions: soup.toArray(), warnings };
}
