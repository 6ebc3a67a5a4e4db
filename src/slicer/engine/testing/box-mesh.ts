// A box as a triangle soup, for tests and benchmarks that must not depend on files on disk.

/** Triangles (9 floats each) of an axis-aligned box from `min` to `max`, outward winding. */
export function boxTriangles(min: readonly [number, number, number], max: readonly [number, number, number]): Float32Array {
  const [x0, y0, z0] = min;
  const [x1, y1, z1] = max;
  const corners = [
    [x0, y0, z0], [x1, y0, z0], [x1, y1, z0], [x0, y1, z0],
    [x0, y0, z1], [x1, y0, z1], [x1, y1, z1], [x0, y1, z1],
  ];
  const faces = [
    [0, 2, 1], [0, 3, 2], // bottom
    [4, 5, 6], [4, 6, 7], // top
    [0, 1, 5], [0, 5, 4], // front
    [1, 2, 6], [1, 6, 5], // right
    [2, 3, 7], [2, 7, 6], // back
    [3, 0, 4], [3, 4, 7], // left
  ];
  const out = new Float32Array(faces.length * 9);
  faces.forEach((face, f) => face.forEach((corner, k) => out.set(corners[corner], f * 9 + k * 3)));
  return out;
}

/** Triangles of a UV sphere: `segments` around, `segments / 2` from pole to pole. */
export function sphereTriangles(centre: readonly [number, number, number], radius: number, segments: number): Float32Array {
  const rings = Math.max(2, Math.floor(segments / 2));
  const point = (ring: number, segment: number): [number, number, number] => {
    const theta = (ring / rings) * Math.PI;
    const phi = (segment / segments) * 2 * Math.PI;
    return [
      centre[0] + radius * Math.sin(theta) * Math.cos(phi),
      centre[1] + radius * Math.sin(theta) * Math.sin(phi),
      centre[2] - radius * Math.cos(theta),
    ];
  };
  const out = new Float32Array(rings * segments * 2 * 9);
  let offset = 0;
  for (let ring = 0; ring < rings; ring++) {
    for (let segment = 0; segment < segments; segment++) {
      const a = point(ring, segment);
      const b = point(ring, segment + 1);
      const c = point(ring + 1, segment + 1);
      const d = point(ring + 1, segment);
      for (const vertex of [a, b, c, a, c, d]) {
        out.set(vertex, offset);
        offset += 3;
      }
    }
  }
  return out;
}
