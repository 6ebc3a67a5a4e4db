// The importer on real files from ../shared/data/models (see its MANIFEST.md for where each comes from).
// Expected counts and sizes are the manifest's. Skipped, with a message, when the folder is absent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importModel } from './import-model.js';
import type { ModelErrorCode, MeshWarningCode } from './model-types.js';

const modelsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data/models');
const present = existsSync(modelsDir);
if (!present) console.warn(`Skipping the real-model importer tests: ${modelsDir} is absent (see the README's test data notes).`);

interface Expected {
  triangles: number;
  size: [number, number, number];
  parts?: number;
  boundary?: number;
  misoriented?: number;
  warnings?: MeshWarningCode[];
}

const good: Record<string, Expected> = {
  '20mm-xyz-cube_binary_COLOR-header.stl': { triangles: 260, size: [20, 20, 20] },
  '3DBenchy.3mf': { triangles: 225154, size: [60.001, 31.004, 48.0] },
  '3DBenchy.stl': { triangles: 225154, size: [60.001, 31.004, 48.0] },
  '3DBenchy_multipart_cargo_box.stl': { triangles: 364, size: [10.998, 11.998, 9.002] },
  '3mf_core_box.3mf': { triangles: 12, size: [10, 20, 30] },
  '3mf_core_cube_gears.3mf': { triangles: 25692, size: [167.996, 125.102, 33.601], parts: 17 },
  '3mf_core_multiple_cylinders.3mf': { triangles: 528, size: [62.0, 40.593, 20.0], parts: 6 },
  '3mf_mustpass_components.3mf': { triangles: 60, size: [70, 60, 30] },
  '3mf_mustpass_multiple_items_transform.3mf': { triangles: 60, size: [70, 60, 30], parts: 2 },
  '3mf_production_box_prod.3mf': { triangles: 12, size: [10, 20, 30] },
  '3mf_two_objects_same_name.3mf': { triangles: 5132, size: [92.8, 40, 40], parts: 2 },
  '3mf_uppercase_ext_counterX.3MF': { triangles: 8080, size: [304.8, 304.409, 12.7] },
  'ascii_multi_solid_multibody.stl': { triangles: 32, size: [0.636, 1.088, 0.34], misoriented: 12, warnings: ['misoriented-faces', 'probably-inches'] },
  'ascii_testgeometry.stl': { triangles: 710, size: [65.2, 50.203, 26.542] },
  'ascii_two_solids_mixed_case.stl': { triangles: 24, size: [6, 1, 1] },
  'binary_featuretype_uppercase_ext.STL': { triangles: 3476, size: [5, 2.5, 1.375] },
  'binary_testgeometry.stl': { triangles: 710, size: [65.2, 50.203, 26.542] },
  'bp_case.stl': { triangles: 6008, size: [85.5, 63.25, 7.15] },
  'broken_busted.STL': { triangles: 3878, size: [10.675, 11.385, 9.572], warnings: ['zero-normals'] },
  'broken_triangle_soup.stl': { triangles: 100, size: [0.997, 0.997, 0.993], boundary: 300, warnings: ['open-edges', 'probably-inches'] },
  'obj_negative_indices.obj': { triangles: 12, size: [2, 2, 2], warnings: ['probably-inches'] },
  'obj_ngon_polygonfaces.obj': { triangles: 3, size: [1000, 500, 1000], boundary: 5, warnings: ['open-edges'] },
  'obj_quads_quadknot.obj': { triangles: 2880, size: [170.735, 133.719, 181.324] },
  'stanford-bunny.obj': { triangles: 69451, size: [0.156, 0.154, 0.121], boundary: 223, warnings: ['open-edges', 'probably-metres'] },
};

const bad: Record<string, { code: ModelErrorCode; says: RegExp }> = {
  'empty_ascii.stl': { code: 'no-triangles', says: /no triangles/ },
  'empty_binary.stl': { code: 'no-triangles', says: /no triangles/ },
  '3mf_beamlattice_pyramid.3mf': { code: 'no-triangles', says: /beam lattice/ },
  '3mf_mustfail_bad_object_id.3mf': { code: 'bad-3mf', says: /object 14/ },
  '3mf_mustfail_missing_resources.3mf': { code: 'bad-3mf', says: /resources/ },
};

const read = (name: string) => new Uint8Array(readFileSync(resolve(modelsDir, name)));

describe.skipIf(!present)('real models from ../shared/data/models', () => {
  for (const [file, expected] of Object.entries(good)) {
    it(`reads ${file}`, () => {
      const outcome = importModel(read(file), file);
      if (!outcome.ok) throw new Error(`${file}: ${outcome.error.message} (${outcome.error.detail ?? ''})`);
      const { model } = outcome;
      expect(model.triangleCount).toBe(expected.triangles);
      model.dimensions.forEach((d, axis) => expect(Math.abs(d - expected.size[axis])).toBeLessThan(0.002));
      expect(model.parts).toHaveLength(expected.parts ?? 1);
      expect(model.report.boundaryEdges).toBe(expected.boundary ?? 0);
      expect(model.report.nonManifoldEdges).toBe(0);
      expect(model.report.misorientedEdges).toBe(expected.misoriented ?? 0);
      expect(model.warnings.map((w) => w.code).sort()).toEqual([...(expected.warnings ?? [])].sort());
    });
  }

  for (const [file, expected] of Object.entries(bad)) {
    it(`refuses ${file} plainly`, () => {
      const outcome = importModel(read(file), file);
      if (outcome.ok) throw new Error(`${file} should have been refused`);
      expect(outcome.error.code).toBe(expected.code);
      expect(outcome.error.message).toMatch(expected.says);
    });
  }

  it('reads the ASCII and binary test geometry to the same mesh', () => {
    const ascii = importModel(read('ascii_testgeometry.stl'), 'a.stl');
    const binary = importModel(read('binary_testgeometry.stl'), 'b.stl');
    if (!ascii.ok || !binary.ok) throw new Error('both should load');
    const a = ascii.model.parts[0].positions;
    const b = binary.model.parts[0].positions;
    expect(a.length).toBe(b.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-3);
  });

  it('reads a binary STL whose header has been made to start with "solid"', () => {
    const bytes = read('binary_testgeometry.stl');
    bytes.set(new TextEncoder().encode('solid'), 0);
    const outcome = importModel(bytes, 'solid-header.stl');
    expect(outcome.ok && outcome.model.triangleCount).toBe(710);
  });

  it('refuses a cut-short copy of a real binary STL', () => {
    const bytes = read('3DBenchy_multipart_cargo_box.stl');
    const outcome = importModel(bytes.subarray(0, bytes.length - 1000), 'cut.stl');
    expect(outcome.ok ? 'loaded' : outcome.error.code).toBe('truncated');
  });

  it('places the production box where its build item lifts it', () => {
    const outcome = importModel(read('3mf_production_box_prod.3mf'), 'box.3mf');
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.model.bounds.min[2]).toBeCloseTo(16.9, 1);
    expect(outcome.model.bounds.max[2]).toBeCloseTo(46.9, 1);
  });
});
