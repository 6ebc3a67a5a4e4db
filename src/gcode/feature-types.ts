// Feature types of extruded moves, as small integers so a segment carries one byte. The names come from
// the slicers' `;TYPE:` comments: Cura writes upper-case tokens (WALL-OUTER), PrusaSlicer and its
// descendants write words (External perimeter). Codes stay below 32 so a set of them fits in one bitmask.

export enum Feature {
  Other = 0,
  OuterWall = 1,
  InnerWall = 2,
  OverhangWall = 3,
  Skin = 4,
  TopSkin = 5,
  Bridge = 6,
  Infill = 7,
  GapFill = 8,
  Support = 9,
  SupportInterface = 10,
  SkirtBrim = 11,
  PrimeTower = 12,
  Ironing = 13,
  Custom = 14,
}

export const FEATURE_COUNT = 15;

export interface FeatureInfo {
  code: number;
  label: string;
  /** Default colour in the preview, 0xRRGGBB. */
  color: number;
}

export const FEATURES: readonly FeatureInfo[] = [
  { code: Feature.Other, label: 'Other', color: 0x9e9e9e },
  { code: Feature.OuterWall, label: 'Outer wall', color: 0xe5533d },
  { code: Feature.InnerWall, label: 'Inner wall', color: 0x3fae49 },
  { code: Feature.OverhangWall, label: 'Overhang wall', color: 0x1f4fd1 },
  { code: Feature.Skin, label: 'Top/bottom skin', color: 0xe0b33b },
  { code: Feature.TopSkin, label: 'Top skin', color: 0xd6462e },
  { code: Feature.Bridge, label: 'Bridge', color: 0x6f8fcf },
  { code: Feature.Infill, label: 'Infill', color: 0xb5652a },
  { code: Feature.GapFill, label: 'Gap fill', color: 0xffffff },
  { code: Feature.Support, label: 'Support', color: 0x2fb9b0 },
  { code: Feature.SupportInterface, label: 'Support interface', color: 0x2a7d78 },
  { code: Feature.SkirtBrim, label: 'Skirt / brim', color: 0xa36fd1 },
  { code: Feature.PrimeTower, label: 'Prime tower', color: 0x7a7ad6 },
  { code: Feature.Ironing, label: 'Ironing', color: 0xff8ccf },
  { code: Feature.Custom, label: 'Custom', color: 0x5c5c5c },
];

const BY_NAME: ReadonlyMap<string, Feature> = new Map<string, Feature>([
  // Cura (and Cura legacy)
  ['wall-outer', Feature.OuterWall],
  ['wall-inner', Feature.InnerWall],
  ['skin', Feature.Skin],
  ['fill', Feature.Infill],
  ['support', Feature.Support],
  ['support-interface', Feature.SupportInterface],
  ['support-infill', Feature.Support],
  ['support-roof', Feature.SupportInterface],
  ['support-floor', Feature.SupportInterface],
  ['skirt', Feature.SkirtBrim],
  ['brim', Feature.SkirtBrim],
  ['prime-tower', Feature.PrimeTower],
  ['ironing', Feature.Ironing],
  // PrusaSlicer, SuperSlicer, OrcaSlicer
  ['external perimeter', Feature.OuterWall],
  ['outer wall', Feature.OuterWall],
  ['perimeter', Feature.InnerWall],
  ['inner wall', Feature.InnerWall],
  ['overhang perimeter', Feature.OverhangWall],
  ['overhang wall', Feature.OverhangWall],
  ['solid infill', Feature.Skin],
  ['internal solid infill', Feature.Skin],
  ['bottom surface', Feature.Skin],
  ['top solid infill', Feature.TopSkin],
  ['top surface', Feature.TopSkin],
  ['bridge infill', Feature.Bridge],
  ['internal bridge infill', Feature.Bridge],
  ['bridge', Feature.Bridge],
  ['internal infill', Feature.Infill],
  ['sparse infill', Feature.Infill],
  ['gap fill', Feature.GapFill],
  ['gap infill', Feature.GapFill],
  ['support material', Feature.Support],
  ['support material interface', Feature.SupportInterface],
  ['support interface', Feature.SupportInterface],
  ['skirt/brim', Feature.SkirtBrim],
  ['wipe tower', Feature.PrimeTower],
  ['prime tower', Feature.PrimeTower],
  ['custom', Feature.Custom],
]);

/** The feature code for a `;TYPE:` name; unknown names are `Other`. */
export function featureFromName(name: string): Feature {
  return BY_NAME.get(name.trim().toLowerCase()) ?? Feature.Other;
}
