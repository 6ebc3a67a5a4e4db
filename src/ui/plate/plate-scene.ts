// The three.js side of the build plate: the printer's volume with a grid, the objects as placed, camera
// controls, picking and the transform gizmo. It draws what it is given and reports what the user did;
// decisions (what a drag means, undo) belong to PlateEditor.
import {
  AmbientLight,
  BoxGeometry,
  BufferAttribute,
  BufferGeometry,
  CircleGeometry,
  Color,
  DirectionalLight,
  EdgesGeometry,
  Float32BufferAttribute,
  Group,
  LineBasicMaterial,
  LineSegments,
  Matrix4,
  Mesh,
  MeshBasicMaterial,
  MeshStandardMaterial,
  PerspectiveCamera,
  PlaneGeometry,
  Raycaster,
  Scene,
  Vector2,
  Vector3,
  WebGLRenderer,
  type Object3D,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { TransformControls } from 'three/examples/jsm/controls/TransformControls.js';
import { bedCentre, bedRect } from '../../models/placement/plate-frame.js';
import { isOutsideVolume } from '../../models/placement/plate-operations.js';
import type { BuildVolume, PlacementMatrix, PlateObject } from '../prepare/prepare-session.js';

export type GizmoMode = 'translate' | 'rotate' | 'scale';

export interface PlateSceneEvents {
  /** A click on an object (with the triangle under the pointer) or on nothing. */
  pick(id: string | null, triangle: number, additive: boolean): void;
  dragStart(id: string): void;
  drag(id: string, placement: PlacementMatrix): void;
  dragEnd(id: string, placement: PlacementMatrix, mode: GizmoMode): void;
}

interface Drawn {
  mesh: Mesh;
  positions: Float32Array;
}

const colours = {
  object: new Color('#9aa7b8'),
  selected: new Color('#3b82f6'),
  outside: new Color('#e0443c'),
  bed: new Color('#2a3340'),
  grid: new Color('#4a5666'),
  gridMajor: new Color('#6b7a8c'),
  volume: new Color('#7d8ea3'),
};

export class PlateScene {
  readonly renderer: WebGLRenderer;
  readonly camera = new PerspectiveCamera(40, 1, 1, 10000);
  readonly scene = new Scene();
  readonly orbit: OrbitControls;
  readonly gizmo: TransformControls;
  #volumeGroup = new Group();
  #objects = new Map<string, Drawn>();
  #raycaster = new Raycaster();
  #pointerDown: Vector2 | null = null;
  #frame = 0;
  #resize: ResizeObserver;
  #volume: BuildVolume | null = null;
  #attachedId: string | null = null;
  #dragging = false;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly events: PlateSceneEvents,
  ) {
    this.renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.scene.background = new Color('#1b2129');
    this.camera.up.set(0, 0, 1);
    this.scene.add(new AmbientLight(0xffffff, 0.8));
    const key = new DirectionalLight(0xffffff, 1.8);
    key.position.set(-200, -300, 400);
    this.scene.add(key);
    const fill = new DirectionalLight(0xffffff, 0.6);
    fill.position.set(300, 200, 200);
    this.scene.add(fill);
    this.scene.add(this.#volumeGroup);

    this.orbit = new OrbitControls(this.camera, canvas);
    this.orbit.enableDamping = false;
    this.orbit.addEventListener('change', () => this.requestRender());

    this.gizmo = new TransformControls(this.camera, canvas);
    this.gizmo.setSize(0.9);
    this.scene.add(this.gizmo.getHelper());
    this.gizmo.addEventListener('change', () => this.requestRender());
    this.gizmo.addEventListener('dragging-changed', (event) => {
      this.orbit.enabled = !event.value;
      this.#dragging = Boolean(event.value);
      const id = this.#attachedId;
      if (!id) return;
      if (event.value) this.events.dragStart(id);
      else this.events.dragEnd(id, this.#attachedPlacement(), this.gizmo.getMode() as GizmoMode);
    });
    this.gizmo.addEventListener('objectChange', () => {
      const id = this.#attachedId;
      if (!id) return;
      const placement = this.#attachedPlacement();
      // Colour the object red as soon as the drag takes it off the bed, before the session hears of it.
      const drawn = this.#objects.get(id);
      if (drawn && this.#volume) {
        const outside = isOutsideVolume({ positions: drawn.positions, placement }, this.#volume);
        (drawn.mesh.material as MeshStandardMaterial).color.copy(outside ? colours.outside : colours.selected);
      }
      this.events.drag(id, placement);
    });

    canvas.addEventListener('pointerdown', this.#onPointerDown);
    canvas.addEventListener('pointerup', this.#onPointerUp);
    this.#resize = new ResizeObserver(() => this.#fit());
    this.#resize.observe(canvas.parentElement ?? canvas);
    this.#fit();
  }

  get dragging(): boolean {
    return this.#dragging;
  }

  #attachedPlacement(): PlacementMatrix {
    const mesh = this.#attachedId ? this.#objects.get(this.#attachedId)?.mesh : undefined;
    if (!mesh) return [];
    mesh.updateMatrix();
    return Object.freeze(Array.from(mesh.matrix.elements));
  }

  setGizmoMode(mode: GizmoMode): void {
    this.gizmo.setMode(mode);
    // Scaling along the object's own axes; moving and turning along the plate's.
    this.gizmo.setSpace(mode === 'scale' ? 'local' : 'world');
    this.requestRender();
  }

  /** Hides the gizmo while the next click means something else (choosing a face to lay flat). */
  setGizmoEnabled(enabled: boolean): void {
    this.gizmo.enabled = enabled;
    this.gizmo.getHelper().visible = enabled && this.gizmo.object !== undefined;
    this.requestRender();
  }

  setVolume(volume: BuildVolume): void {
    const same = this.#volume && JSON.stringify(this.#volume) === JSON.stringify(volume);
    if (same) return;
    this.#volume = volume;
    for (const child of [...this.#volumeGroup.children]) {
      this.#volumeGroup.remove(child);
      disposeObject(child);
    }
    const rect = bedRect(volume);
    const [cx, cy] = bedCentre(volume);
    const circular = volume.shape === 'elliptic';
    const bed = new Mesh(
      circular ? new CircleGeometry(0.5, 96) : new PlaneGeometry(1, 1),
      new MeshBasicMaterial({ color: colours.bed }),
    );
    bed.scale.set(volume.width, volume.depth, 1);
    bed.position.set(cx, cy, -0.05);
    bed.name = 'bed';
    this.#volumeGroup.add(bed);
    this.#volumeGroup.add(gridLines(volume, rect));
    if (circular) {
      this.#volumeGroup.add(cylinderEdges(volume, cx, cy));
    } else {
      const box = new LineSegments(
        new EdgesGeometry(new BoxGeometry(volume.width, volume.depth, volume.height)),
        new LineBasicMaterial({ color: colours.volume, transparent: true, opacity: 0.6 }),
      );
      box.position.set(cx, cy, volume.height / 2);
      this.#volumeGroup.add(box);
    }
    this.#volumeGroup.add(originMarker(volume));
    // A new printer means a new bed to look at.
    this.resetCamera();
    this.requestRender();
  }

  /** Looks at the bed from the front, a little above, the whole volume in view. */
  resetCamera(): void {
    const volume = this.#volume;
    if (!volume) return;
    const [cx, cy] = bedCentre(volume);
    const size = Math.max(volume.width, volume.depth, volume.height);
    this.camera.near = size / 100;
    this.camera.far = size * 20;
    this.camera.position.set(cx, cy - size * 1.15, size * 0.85);
    this.orbit.target.set(cx, cy, volume.height * 0.1);
    this.camera.updateProjectionMatrix();
    this.orbit.update();
    this.requestRender();
  }

  sync(objects: readonly PlateObject[], selectedIds: readonly string[]): void {
    const present = new Set(objects.map((object) => object.id));
    for (const [id, drawn] of this.#objects) {
      if (present.has(id)) continue;
      if (this.#attachedId === id) this.#detach();
      this.scene.remove(drawn.mesh);
      drawn.mesh.geometry.dispose();
      (drawn.mesh.material as MeshStandardMaterial).dispose();
      this.#objects.delete(id);
    }
    const selected = new Set(selectedIds);
    for (const object of objects) {
      let drawn = this.#objects.get(object.id);
      if (!drawn || drawn.positions !== object.positions) {
        if (drawn) {
          this.scene.remove(drawn.mesh);
          drawn.mesh.geometry.dispose();
        }
        const geometry = new BufferGeometry();
        geometry.setAttribute('position', new BufferAttribute(object.positions, 3));
        geometry.computeVertexNormals();
        geometry.computeBoundingSphere();
        const mesh = new Mesh(geometry, new MeshStandardMaterial({ roughness: 0.65, metalness: 0.05 }));
        mesh.name = object.id;
        mesh.userData.plateId = object.id;
        this.scene.add(mesh);
        drawn = { mesh, positions: object.positions };
        this.#objects.set(object.id, drawn);
      }
      // While the gizmo drags this object, the gizmo owns its transform.
      if (!(this.#dragging && this.#attachedId === object.id)) {
        new Matrix4().fromArray(object.placement as number[]).decompose(drawn.mesh.position, drawn.mesh.quaternion, drawn.mesh.scale);
      }
      const material = drawn.mesh.material as MeshStandardMaterial;
      material.color.copy(object.outsideVolume ? colours.outside : selected.has(object.id) ? colours.selected : colours.object);
      material.emissive.set(object.outsideVolume ? '#5a0d0a' : '#000000');
      // A mirrored placement flips the winding; draw both sides so it never looks hollow.
      material.side = new Matrix4().fromArray(object.placement as number[]).determinant() < 0 ? 1 : 0;
      material.needsUpdate = true;
    }
    const single = selectedIds.length === 1 ? selectedIds[0] : null;
    if (single !== this.#attachedId) {
      if (single && this.#objects.has(single)) {
        this.gizmo.attach(this.#objects.get(single)!.mesh);
        this.#attachedId = single;
      } else {
        this.#detach();
      }
    }
    this.requestRender();
  }

  #detach(): void {
    this.gizmo.detach();
    this.#attachedId = null;
  }

  requestRender(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.renderer.render(this.scene, this.camera);
    });
  }

  /** The data URL of the current picture (used by tests and for "copy picture"). */
  snapshot(options: { gizmo?: boolean } = {}): string {
    const helper = this.gizmo.getHelper();
    const shown = helper.visible;
    helper.visible = options.gizmo ?? true;
    this.renderer.render(this.scene, this.camera);
    helper.visible = shown;
    return this.canvas.toDataURL('image/png');
  }

  #fit(): void {
    const host = this.canvas.parentElement ?? this.canvas;
    const width = Math.max(1, host.clientWidth);
    const height = Math.max(1, host.clientHeight);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  #pointer(event: PointerEvent): Vector2 {
    const rect = this.canvas.getBoundingClientRect();
    return new Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
  }

  #onPointerDown = (event: PointerEvent): void => {
    this.#pointerDown = new Vector2(event.clientX, event.clientY);
  };

  #onPointerUp = (event: PointerEvent): void => {
    const down = this.#pointerDown;
    this.#pointerDown = null;
    // A drag orbits the camera or moves the gizmo; only a still click picks.
    if (!down || down.distanceTo(new Vector2(event.clientX, event.clientY)) > 4 || this.#dragging) return;
    if (this.gizmo.enabled && this.gizmo.axis !== null) return;
    this.#raycaster.setFromCamera(this.#pointer(event), this.camera);
    const meshes = [...this.#objects.values()].map((drawn) => drawn.mesh);
    const hit = this.#raycaster.intersectObjects(meshes, false)[0];
    const id = (hit?.object.userData.plateId as string | undefined) ?? null;
    this.events.pick(id, hit?.faceIndex ?? -1, event.shiftKey || event.ctrlKey || event.metaKey);
  };

  /** Where on screen an object's centre is (CSS pixels relative to the canvas), for tests and tooltips. */
  screenPosition(id: string): { x: number; y: number } | null {
    const drawn = this.#objects.get(id);
    if (!drawn) return null;
    drawn.mesh.geometry.computeBoundingBox();
    const centre = new Vector3();
    drawn.mesh.geometry.boundingBox!.getCenter(centre);
    drawn.mesh.updateMatrixWorld();
    centre.applyMatrix4(drawn.mesh.matrixWorld).project(this.camera);
    const rect = this.canvas.getBoundingClientRect();
    return { x: ((centre.x + 1) / 2) * rect.width, y: ((1 - centre.y) / 2) * rect.height };
  }

  dispose(): void {
    cancelAnimationFrame(this.#frame);
    this.#resize.disconnect();
    this.canvas.removeEventListener('pointerdown', this.#onPointerDown);
    this.canvas.removeEventListener('pointerup', this.#onPointerUp);
    this.gizmo.detach();
    this.gizmo.dispose();
    this.orbit.dispose();
    disposeObject(this.scene);
    this.renderer.dispose();
  }
}

function gridLines(volume: BuildVolume, rect: { minX: number; minY: number; maxX: number; maxY: number }): Group {
  const minor: number[] = [];
  const major: number[] = [];
  const [cx, cy] = bedCentre(volume);
  const a = volume.width / 2;
  const b = volume.depth / 2;
  const circular = volume.shape === 'elliptic';
  // Grid lines every 10 mm from the G-code origin, so they line up with the coordinates people type.
  const z = 0.02;
  for (let x = Math.ceil(rect.minX / 10) * 10; x <= rect.maxX + 1e-6; x += 10) {
    const half = circular ? b * Math.sqrt(Math.max(0, 1 - ((x - cx) / a) ** 2)) : b;
    (Math.round(x) % 50 === 0 ? major : minor).push(x, cy - half, z, x, cy + half, z);
  }
  for (let y = Math.ceil(rect.minY / 10) * 10; y <= rect.maxY + 1e-6; y += 10) {
    const half = circular ? a * Math.sqrt(Math.max(0, 1 - ((y - cy) / b) ** 2)) : a;
    (Math.round(y) % 50 === 0 ? major : minor).push(cx - half, y, z, cx + half, y, z);
  }
  const group = new Group();
  group.name = 'grid';
  for (const [points, colour] of [
    [minor, colours.grid],
    [major, colours.gridMajor],
  ] as const) {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new Float32BufferAttribute(points, 3));
    group.add(new LineSegments(geometry, new LineBasicMaterial({ color: colour })));
  }
  return group;
}

function cylinderEdges(volume: BuildVolume, cx: number, cy: number): LineSegments {
  const points: number[] = [];
  const steps = 96;
  for (const z of [0, volume.height]) {
    for (let i = 0; i < steps; i++) {
      const t0 = (i / steps) * Math.PI * 2;
      const t1 = ((i + 1) / steps) * Math.PI * 2;
      points.push(cx + (Math.cos(t0) * volume.width) / 2, cy + (Math.sin(t0) * volume.depth) / 2, z);
      points.push(cx + (Math.cos(t1) * volume.width) / 2, cy + (Math.sin(t1) * volume.depth) / 2, z);
    }
  }
  for (let i = 0; i < 4; i++) {
    const t = (i / 4) * Math.PI * 2;
    const x = cx + (Math.cos(t) * volume.width) / 2;
    const y = cy + (Math.sin(t) * volume.depth) / 2;
    points.push(x, y, 0, x, y, volume.height);
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(points, 3));
  return new LineSegments(geometry, new LineBasicMaterial({ color: colours.volume, transparent: true, opacity: 0.6 }));
}

/** Short red X and green Y arrows at the G-code origin. */
function originMarker(volume: BuildVolume): LineSegments {
  const length = Math.max(10, Math.min(volume.width, volume.depth) / 10);
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute([0, 0, 0.1, length, 0, 0.1, 0, 0, 0.1, 0, length, 0.1], 3));
  geometry.setAttribute('color', new Float32BufferAttribute([1, 0.3, 0.3, 1, 0.3, 0.3, 0.3, 1, 0.3, 0.3, 1, 0.3], 3));
  const marker = new LineSegments(geometry, new LineBasicMaterial({ vertexColors: true }));
  marker.name = 'origin';
  return marker;
}

function disposeObject(root: Object3D): void {
  root.traverse((node) => {
    const withGeometry = node as Partial<Mesh>;
    withGeometry.geometry?.dispose();
    const material = withGeometry.material;
    if (Array.isArray(material)) material.forEach((m) => m.dispose());
    else material?.dispose();
  });
}
