// Draws a model to a PNG on an OffscreenCanvas, so it runs in the model worker with no DOM. One renderer
// is kept and reused: creating a WebGL context per picture is slow and browsers cap how many live at once.
import {
  AmbientLight,
  BufferAttribute,
  BufferGeometry,
  Color,
  DirectionalLight,
  Mesh,
  MeshStandardMaterial,
  PerspectiveCamera,
  Scene,
  Sphere,
  Vector3,
  WebGLRenderer,
} from 'three';

let renderer: WebGLRenderer | null = null;
let canvas: OffscreenCanvas | null = null;

export async function renderModelThumbnail(parts: readonly Float32Array[], sizePx: number): Promise<Blob> {
  if (typeof OffscreenCanvas === 'undefined') throw new Error('this browser cannot draw off-screen');
  if (!renderer || !canvas) {
    canvas = new OffscreenCanvas(sizePx, sizePx);
    renderer = new WebGLRenderer({ canvas, antialias: true, alpha: true, preserveDrawingBuffer: true });
  }
  renderer.setSize(sizePx, sizePx, false);
  const scene = new Scene();
  const material = new MeshStandardMaterial({ color: new Color('#4f8fd8'), roughness: 0.6, metalness: 0.05 });
  const geometries: BufferGeometry[] = [];
  for (const positions of parts) {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(positions, 3));
    geometry.computeVertexNormals();
    geometries.push(geometry);
    // Models are Z-up; the picture's camera is set up Z-up too.
    scene.add(new Mesh(geometry, material));
  }
  const sphere = new Sphere();
  const centre = new Vector3();
  let radius = 0;
  for (const geometry of geometries) {
    geometry.computeBoundingSphere();
    if (geometry.boundingSphere) {
      if (radius === 0) sphere.copy(geometry.boundingSphere);
      else sphere.union(geometry.boundingSphere);
      radius = sphere.radius;
    }
  }
  centre.copy(sphere.center);
  radius = Math.max(sphere.radius, 1e-6);
  const camera = new PerspectiveCamera(30, 1, radius / 100, radius * 100);
  camera.up.set(0, 0, 1);
  const distance = radius / Math.sin((15 * Math.PI) / 180);
  camera.position.copy(centre).add(new Vector3(-0.55, -0.75, 0.5).normalize().multiplyScalar(distance));
  camera.lookAt(centre);
  scene.add(new AmbientLight(0xffffff, 0.9));
  const key = new DirectionalLight(0xffffff, 2.2);
  key.position.copy(camera.position).add(new Vector3(radius, -radius, radius * 2));
  scene.add(key);
  renderer.setClearColor(0x000000, 0);
  renderer.render(scene, camera);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  for (const geometry of geometries) geometry.dispose();
  material.dispose();
  return blob;
}
