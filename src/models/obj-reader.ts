// Wavefront OBJ through three's OBJLoader: it already triangulates quads and n-gons as fans and resolves
// negative (relative) indices. It touches no DOM, so it runs in a worker and in Node alike.
import { Mesh, type BufferAttribute, type Object3D } from 'three';
import { OBJLoader } from 'three/examples/jsm/loaders/OBJLoader.js';
import { ModelImportError, type ImportLimits, type MeshWarning } from './model-types.js';

export interface ObjContent {
  positions: Float32Array;
  warnings: MeshWarning[];
}

export function readObj(bytes: Uint8Array, limits: ImportLimits): ObjContent {
  const text = new TextDecoder('utf-8').decode(bytes);
  if (!/^\s*v\s/m.test(text)) {
    throw new ModelImportError('no-triangles', 'This OBJ file has no vertices, so there is nothing to print.');
  }
  let root: Object3D;
  const quiet = console.warn;
  let unexpectedLines = 0;
  // The loader reports each line it does not understand through console.warn; count them instead.
  console.warn = () => {
    unexpectedLines++;
  };
  try {
    root = new OBJLoader().parse(text);
  } catch (error) {
    throw new ModelImportError(
      'bad-obj',
      'This OBJ file could not be read; it may be damaged.',
      error instanceof Error ? error.message : String(error),
    );
  } finally {
    console.warn = quiet;
  }
  const chunks: ArrayLike<number>[] = [];
  let total = 0;
  root.traverse((node) => {
    if (!(node instanceof Mesh)) return; // lines and points are not printable
    const attribute = node.geometry.getAttribute('position') as BufferAttribute | undefined;
    if (!attribute) return;
    chunks.push(attribute.array);
    total += attribute.array.length;
  });
  if (total / 9 > limits.maxTriangles) {
    throw new ModelImportError(
      'too-big',
      `This model has ${(total / 9).toLocaleString('en')} triangles, more than Sliceport can handle (${limits.maxTriangles.toLocaleString('en')}).`,
    );
  }
  const positions = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    positions.set(chunk, offset);
    offset += chunk.length;
  }
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i])) {
      throw new ModelImportError(
        'invalid-number',
        `This OBJ file has a broken coordinate or a face that points to a vertex that does not exist (triangle ${Math.floor(i / 9) + 1}). Repair or re-export it.`,
        `non-finite value at float ${i}`,
      );
    }
  }
  const warnings: MeshWarning[] = [];
  if (unexpectedLines > 0) {
    warnings.push({
      code: 'skipped-content',
      message: `${unexpectedLines} line(s) of the OBJ file were not understood and were skipped.`,
      count: unexpectedLines,
    });
  }
  return { positions, warnings };
}
