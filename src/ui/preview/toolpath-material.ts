// One material draws the whole toolpath in one call. What is already printed and which layers are in
// focus are decided per segment on the GPU from uniforms and the toolpath's own per-vertex attributes,
// so following a print touches no buffer. Feature and travel toggles are also checked here, as a second
// line behind the index buffer that leaves hidden segments out.
import { Color, ShaderMaterial } from 'three';
import { FEATURES } from '../../gcode/feature-types.js';

const MAX_FEATURES = 16;

const vertexShader = /* glsl */ `
  attribute float feature;
  attribute float flags;
  // three binds 32-bit integer arrays as integer attributes.
  in uint line;
  uniform vec3 uColors[${MAX_FEATURES}];
  uniform vec3 uTravelColor;
  uniform int uFeatureMask;
  uniform bool uShowTravel;
  uniform float uPrintedLine;
  uniform float uHighlightFromLine;
  // Each segment's values come from its last vertex (the provoking vertex), which is where the
  // toolpath keeps them.
  flat varying vec4 vColor;

  void main() {
    int f = int(feature + 0.5);
    int fl = int(flags + 0.5);
    bool extrudes = (fl & 1) == 1;
    bool jump = (fl & 2) == 2;
    float visible = 1.0;
    if (jump) visible = 0.0;
    else if (extrudes && ((uFeatureMask >> f) & 1) == 0) visible = 0.0;
    else if (!extrudes && !uShowTravel) visible = 0.0;
    vec3 colour = extrudes ? uColors[f] : uTravelColor;
    float lineNumber = float(line);
    if (uPrintedLine >= 0.0 && lineNumber > uPrintedLine) {
      colour = mix(colour, vec3(0.62), 0.8);           // not printed yet: a pale ghost
    } else if (lineNumber < uHighlightFromLine) {
      colour *= 0.7;                                   // layers below the one in focus
    }
    vColor = vec4(colour, visible);
    gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  }
`;

const fragmentShader = /* glsl */ `
  flat varying vec4 vColor;
  void main() {
    if (vColor.a < 0.5) discard;
    gl_FragColor = vec4(vColor.rgb, 1.0);
  }
`;

export function createToolpathMaterial(): ShaderMaterial {
  const colours: Color[] = [];
  for (let i = 0; i < MAX_FEATURES; i++) colours.push(new Color(FEATURES[i]?.color ?? 0x9e9e9e));
  return new ShaderMaterial({
    vertexShader,
    fragmentShader,
    uniforms: {
      uColors: { value: colours },
      uTravelColor: { value: new Color(0x3a7bd5) },
      uFeatureMask: { value: 0xffff },
      uShowTravel: { value: false },
      uPrintedLine: { value: -1 },
      uHighlightFromLine: { value: 0 },
    },
  });
}
