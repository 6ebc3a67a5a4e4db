// What sits on the build plate, in plate coordinates: shared by placement, slicing and the Prepare view.

/** A 4×4 column-major matrix (three.js `Matrix4.elements` order) in millimetres, Z up, plate coordinates. */
export type PlacementMatrix = readonly number[];

export interface BuildVolume {
  width: number;
  depth: number;
  height: number;
  shape: 'rectangular' | 'elliptic';
  /** Whether G-code X0 Y0 is the centre of the bed (true) or its front-left corner (false). */
  originAtCenter: boolean;
}

export interface PlateObject {
  id: string;
  name: string;
  /** Library id of the model this object came from, when it was stored. */
  modelId?: string;
  /** Triangle soup: 9 floats per triangle, in the model's own coordinates (mm). */
  positions: Float32Array;
  /** Where the object sits on the plate. Vertices × placement = plate coordinates. */
  placement: PlacementMatrix;
  /** Which extruder prints it. */
  extruder: number;
  /** Set by the plate when any part lies outside the build volume. */
  outsideVolume: boolean;
}
