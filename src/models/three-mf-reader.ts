// 3MF: a ZIP holding an XML model part. We read the core spec (objects with meshes or components, build
// items with transforms, units) and the Production extension's components in other model parts. Colours
// and materials are ignored: an FDM slice only needs the shape.
import { ModelImportError, type ImportLimits, type MeshPart, type MeshWarning } from './model-types.js';
import { scanXmlTags, xmlAttributes } from './xml-tags.js';
import { ZipArchive } from './zip-archive.js';

export interface ThreeMfContent {
  parts: MeshPart[];
  warnings: MeshWarning[];
}

/** Row-vector affine transform as 3MF writes it: m00 m01 m02 m10 m11 m12 m20 m21 m22 m30 m31 m32. */
type Affine = Float64Array;

interface MeshDef {
  vertices: Float64Array;
  triangles: Uint32Array;
}

interface ComponentDef {
  objectId: string;
  path: string | null;
  transform: Affine;
}

interface ObjectDef {
  id: string;
  name: string;
  type: string;
  mesh: MeshDef | null;
  components: ComponentDef[];
  beamLattice: boolean;
}

interface ModelDoc {
  path: string;
  unitScale: number;
  hasResources: boolean;
  objects: Map<string, ObjectDef>;
  items: ComponentDef[];
}

const coreNamespace = 'http://schemas.microsoft.com/3dmanufacturing/core/2015/02';
const productionNamespace = 'http://schemas.microsoft.com/3dmanufacturing/production/2015/06';
const unitScales: Record<string, number> = {
  micron: 0.001,
  millimeter: 1,
  centimeter: 10,
  inch: 25.4,
  foot: 304.8,
  meter: 1000,
};

const identity = (): Affine => Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0);

function damaged(message: string, detail?: string): ModelImportError {
  return new ModelImportError('bad-3mf', `This 3MF file is damaged: ${message}`, detail);
}

function parseTransform(text: string | undefined): Affine {
  if (!text) return identity();
  const values = text.trim().split(/\s+/).map(Number);
  if (values.length !== 12 || values.some((v) => !Number.isFinite(v))) {
    throw damaged('one of its transforms is not twelve numbers.', `transform="${text}"`);
  }
  return Float64Array.from(values);
}

/** First apply `a`, then `b`. */
function compose(a: Affine, b: Affine): Affine {
  const out = new Float64Array(12);
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 3; col++) {
      let sum = row === 3 ? b[9 + col] : 0;
      for (let k = 0; k < 3; k++) sum += a[row * 3 + k] * b[k * 3 + col];
      out[row * 3 + col] = sum;
    }
  }
  return out;
}

/** Most objects and components placed in one model: far beyond any real assembly. */
const MAX_PLACEMENTS = 100_000;

export function readThreeMf(bytes: Uint8Array, limits: ImportLimits): ThreeMfContent {
  const archive = new ZipArchive(bytes, limits.maxInflatedBytes);
  const rootPath = findRootModelPath(archive);
  const docs = new Map<string, ModelDoc>();
  const loadDoc = (path: string): ModelDoc => {
    const key = normalisePath(path);
    let doc = docs.get(key);
    if (!doc) {
      const entry = archive.find(key);
      if (!entry) throw damaged(`it refers to a model part "${key}" that is not in the file.`);
      doc = readModelDoc(key, new TextDecoder('utf-8').decode(archive.read(entry)));
      docs.set(key, doc);
    }
    return doc;
  };
  const root = loadDoc(rootPath);
  if (!root.hasResources) throw damaged('it has no <resources> section, so it defines no objects.');
  if (root.items.length === 0) throw damaged('its build lists no items to print.');

  const parts: MeshPart[] = [];
  let triangleTotal = 0;
  let beamOnly = false;
  // Components may reuse an object any number of times, so a few bytes can ask for 2^32 placements of
  // an empty part; placements are counted as well as triangles.
  let placements = 0;
  for (const item of root.items) {
    const chunks: Float32Array[] = [];
    const collect = (doc: ModelDoc, objectId: string, transform: Affine, depth: number): string => {
      if (depth > 32) throw damaged('its components refer to each other in a loop.');
      if (++placements > MAX_PLACEMENTS) {
        throw new ModelImportError(
          'too-big',
          `This 3MF file places its parts more than ${MAX_PLACEMENTS.toLocaleString('en')} times, more than Sliceport can handle.`,
        );
      }
      const object = doc.objects.get(objectId);
      if (!object) throw damaged(`a build item or component refers to object ${objectId}, which the file does not define.`);
      if (object.beamLattice && (!object.mesh || object.mesh.triangles.length === 0)) beamOnly = true;
      if (object.mesh) {
        const placed = placeMesh(object.mesh, transform, root.unitScale);
        triangleTotal += placed.length / 9;
        if (triangleTotal > limits.maxTriangles) {
          throw new ModelImportError(
            'too-big',
            `This model has more than ${limits.maxTriangles.toLocaleString('en')} triangles, more than Sliceport can handle.`,
          );
        }
        if (placed.length) chunks.push(placed);
      }
      for (const component of object.components) {
        const target = component.path ? loadDoc(component.path) : doc;
        collect(target, component.objectId, compose(component.transform, transform), depth + 1);
      }
      return object.name;
    };
    const itemDoc = item.path ? loadDoc(item.path) : root;
    const object = itemDoc.objects.get(item.objectId);
    if (object && object.type === 'other') continue;
    const name = collect(itemDoc, item.objectId, item.transform, 0);
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (length === 0) continue;
    const positions = new Float32Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      positions.set(chunk, offset);
      offset += chunk.length;
    }
    parts.push({ name, positions });
  }
  if (parts.length === 0) {
    if (beamOnly) {
      throw new ModelImportError(
        'no-triangles',
        'This 3MF file describes its shape as a beam lattice, with no triangles. Sliceport can only print triangle meshes.',
        'beam lattice extension object without a triangle mesh',
      );
    }
    throw new ModelImportError('no-triangles', 'This 3MF file contains no triangles, so there is nothing to print.');
  }
  return { parts, warnings: [] };
}

function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\/+/, '');
}

function findRootModelPath(archive: ZipArchive): string {
  const rels = archive.find('_rels/.rels');
  if (rels) {
    let target: string | null = null;
    scanXmlTags(new TextDecoder('utf-8').decode(archive.read(rels)), (tag) => {
      if (target || tag.closing || !/(^|:)Relationship$/.test(tag.name)) return;
      const attributes = xmlAttributes(tag.attributeText);
      if ((attributes.get('Type') ?? '').endsWith('/3dmodel')) target = attributes.get('Target') ?? null;
    });
    if (target) return target;
  }
  const fallback = archive.entries.find((entry) => /\.model$/i.test(entry.name));
  if (!fallback) throw damaged('it contains no 3D model part.', archive.entries.map((e) => e.name).join(', '));
  return fallback.name;
}

const vertexNames = ['x', 'y', 'z'];
const triangleNames = ['v1', 'v2', 'v3'];

/**
 * Reads the named attributes as numbers into `out` (in `names` order), leaving the others untouched.
 * Written out by hand because vertices and triangles are most of a model part: a regex per attribute
 * cost more than inflating and scanning the whole part.
 */
function readNumericAttributes(text: string, names: readonly string[], out: number[]): void {
  let i = 0;
  const length = text.length;
  while (i < length) {
    while (i < length && text.charCodeAt(i) <= 32) i++;
    const nameStart = i;
    while (i < length && text.charCodeAt(i) !== 61 /* = */ && text.charCodeAt(i) > 32) i++;
    const name = text.slice(nameStart, i);
    while (i < length && text.charCodeAt(i) !== 61) i++;
    i++;
    while (i < length && text.charCodeAt(i) <= 32) i++;
    const quote = text.charCodeAt(i);
    if (quote !== 34 && quote !== 39) return;
    const end = text.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (end < 0) return;
    const slot = names.indexOf(name);
    if (slot >= 0) out[slot] = Number(text.slice(i + 1, end));
    i = end + 1;
  }
}

function readModelDoc(path: string, text: string): ModelDoc {
  const doc: ModelDoc = { path, unitScale: 1, hasResources: false, objects: new Map(), items: [] };
  // Element names are matched by namespace: core elements may be written with or without a prefix.
  let corePrefix = '';
  let productionPrefix = 'p';
  const local = (name: string): string | null => {
    const colon = name.indexOf(':');
    if (colon < 0) return corePrefix === '' ? name : null;
    return name.slice(0, colon) === corePrefix ? name.slice(colon + 1) : null;
  };
  let current: ObjectDef | null = null;
  let vertices: number[] = [];
  let triangles: number[] = [];
  let inMesh = false;
  let inBuild = false;
  const vertex = [0, 0, 0];
  const corner = [0, 0, 0];
  scanXmlTags(text, (tag) => {
    if (!tag.closing && tag.name.endsWith(':beamlattice') && current) current.beamLattice = true;
    const name = local(tag.name);
    if (name === null) return;
    if (tag.closing) {
      if (name === 'mesh' && current) {
        current.mesh = { vertices: Float64Array.from(vertices), triangles: Uint32Array.from(triangles) };
        vertices = [];
        triangles = [];
        inMesh = false;
      } else if (name === 'object') current = null;
      else if (name === 'build') inBuild = false;
      return;
    }
    switch (name) {
      case 'vertex': {
        if (!inMesh) return;
        vertex[0] = vertex[1] = vertex[2] = NaN;
        readNumericAttributes(tag.attributeText, vertexNames, vertex);
        if (!Number.isFinite(vertex[0]) || !Number.isFinite(vertex[1]) || !Number.isFinite(vertex[2])) {
          throw new ModelImportError(
            'invalid-number',
            `This 3MF file has a vertex with a broken coordinate (object ${current?.id ?? '?'}). Repair or re-export it.`,
            tag.attributeText.trim(),
          );
        }
        vertices.push(vertex[0], vertex[1], vertex[2]);
        return;
      }
      case 'triangle': {
        if (!inMesh) return;
        corner[0] = corner[1] = corner[2] = NaN;
        readNumericAttributes(tag.attributeText, triangleNames, corner);
        const count = vertices.length / 3;
        for (let k = 0; k < 3; k++) {
          const index = corner[k];
          if (Number.isNaN(index)) throw damaged(`a triangle in object ${current?.id ?? '?'} does not name three vertices.`);
          if (!Number.isInteger(index) || index < 0 || index >= count) {
            throw damaged(`a triangle in object ${current?.id ?? '?'} points to vertex ${index}, which does not exist.`);
          }
          triangles.push(index);
        }
        return;
      }
      case 'model': {
        const attributes = xmlAttributes(tag.attributeText);
        for (const [key, value] of attributes) {
          if (value === coreNamespace) corePrefix = key === 'xmlns' ? '' : key.slice(6);
          if (value === productionNamespace && key.startsWith('xmlns:')) productionPrefix = key.slice(6);
        }
        const unit = attributes.get('unit');
        if (unit !== undefined) {
          const scale = unitScales[unit];
          if (scale === undefined) throw damaged(`it uses an unknown unit "${unit}".`);
          doc.unitScale = scale;
        }
        return;
      }
      case 'resources':
        doc.hasResources = true;
        return;
      case 'object': {
        const attributes = xmlAttributes(tag.attributeText);
        const id = attributes.get('id');
        if (!id) throw damaged('an object has no id.');
        current = { id, name: attributes.get('name') || `Object ${id}`, type: attributes.get('type') ?? 'model', mesh: null, components: [], beamLattice: false };
        doc.objects.set(id, current);
        if (tag.selfClosing) current = null;
        return;
      }
      case 'mesh':
        inMesh = !tag.selfClosing;
        vertices = [];
        triangles = [];
        if (tag.selfClosing && current) current.mesh = { vertices: new Float64Array(0), triangles: new Uint32Array(0) };
        return;
      case 'component': {
        if (!current) return;
        const attributes = xmlAttributes(tag.attributeText);
        const objectId = attributes.get('objectid');
        if (!objectId) throw damaged(`a component of object ${current.id} names no object.`);
        current.components.push({ objectId, path: attributes.get(`${productionPrefix}:path`) ?? null, transform: parseTransform(attributes.get('transform')) });
        return;
      }
      case 'build':
        inBuild = !tag.selfClosing;
        return;
      case 'item': {
        if (!inBuild) return;
        const attributes = xmlAttributes(tag.attributeText);
        const objectId = attributes.get('objectid');
        if (!objectId) throw damaged('a build item names no object.');
        // Slicers mark items the user switched off as not printable; they stay off.
        if (attributes.get('printable') === '0') return;
        doc.items.push({ objectId, path: attributes.get(`${productionPrefix}:path`) ?? null, transform: parseTransform(attributes.get('transform')) });
        return;
      }
      default:
        return;
    }
  });
  return doc;
}

function placeMesh(mesh: MeshDef, t: Affine, scale: number): Float32Array {
  const { vertices, triangles } = mesh;
  const out = new Float32Array(triangles.length * 3);
  for (let i = 0; i < triangles.length; i++) {
    const v = triangles[i] * 3;
    const x = vertices[v];
    const y = vertices[v + 1];
    const z = vertices[v + 2];
    out[i * 3] = (x * t[0] + y * t[3] + z * t[6] + t[9]) * scale;
    out[i * 3 + 1] = (x * t[1] + y * t[4] + z * t[7] + t[10]) * scale;
    out[i * 3 + 2] = (x * t[2] + y * t[5] + z * t[8] + t[11]) * scale;
  }
  return out;
}
