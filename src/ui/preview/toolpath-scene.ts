// The three.js side of the G-code preview: the toolpath as one LineSegments draw over the analysis's
// own typed arrays (no copy), a bed grid, a camera that frames the print, and rendering on demand only.
// An index buffer lists the visible segments (rebuilt only when a feature or travel is switched), so
// hidden ones cost the GPU nothing; the layer slider only moves the draw range.
import {
  BufferAttribute, BufferGeometry, GridHelper, LineSegments, PerspectiveCamera, Scene, Sphere, Vector3, WebGLRenderer,
  type ShaderMaterial,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { perVertex, type GcodeAnalysis, type Toolpath } from '../../gcode/toolpath.js';
import { buildVisibleIndex, visibleBefore } from '../../gcode/visible-segments.js';
import { createToolpathMaterial } from './toolpath-material.js';

export interface ToolpathView {
  /** Segment range drawn, [firstSegment, endSegment). */
  firstSegment: number;
  endSegment: number;
  featureMask: number;
  showTravel: boolean;
  /** G-code line the printer is executing; -1 when not following a print. */
  printedLine: number;
  /** Segments made by lines before this one are drawn a little darker (layers below the focus). */
  highlightFromLine: number;
}

export class ToolpathScene {
  readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(40, 1, 0.1, 10_000);
  private readonly controls: OrbitControls;
  private readonly material: ShaderMaterial = createToolpathMaterial();
  private geometry: BufferGeometry | null = null;
  private line: LineSegments | null = null;
  private toolpath: Toolpath | null = null;
  private index: BufferAttribute | null = null;
  private visibleCount = 0;
  private indexKey = '';
  private viewKey = '';
  private grid: GridHelper | null = null;
  private frame = 0;
  private readonly resizeObserver: ResizeObserver;
  /** Called after each frame is drawn (the first one marks "first render"). */
  onRendered: (() => void) | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    // Throws when WebGL is unavailable; the component shows that in words.
    this.renderer = new WebGLRenderer({ canvas, antialias: false, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(2, globalThis.devicePixelRatio || 1));
    this.renderer.setClearColor(0x1d2126);
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', () => this.requestRender());
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.resize();
    this.warmUp();
  }

  /**
   * Draws a two-point path once, so the shader is compiled and the GPU pipeline built while the worker
   * is still reading the file, not after.
   */
  private warmUp(): void {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array(6), 3));
    geometry.setAttribute('feature', new BufferAttribute(new Uint8Array(2), 1));
    geometry.setAttribute('flags', new BufferAttribute(new Uint8Array(2), 1));
    geometry.setAttribute('line', new BufferAttribute(new Uint32Array(2), 1));
    geometry.setIndex(new BufferAttribute(new Uint32Array([0, 1]), 1));
    const probe = new LineSegments(geometry, this.material);
    this.scene.add(probe);
    this.renderer.render(this.scene, this.camera);
    this.scene.remove(probe);
    geometry.dispose();
  }

  setAnalysis(analysis: GcodeAnalysis | null): void {
    this.viewKey = '';
    if (this.line) {
      this.scene.remove(this.line);
      this.geometry?.dispose();
      this.line = null;
      this.geometry = null;
      this.toolpath = null;
      this.index = null;
      this.indexKey = '';
    }
    if (this.grid) {
      this.scene.remove(this.grid);
      this.grid.dispose();
      this.grid = null;
    }
    if (!analysis || analysis.toolpath.segmentCount === 0) {
      this.requestRender();
      return;
    }
    const { toolpath, summary } = analysis;
    const n = toolpath.segmentCount;
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(toolpath.positions, 3));
    geometry.setAttribute('feature', new BufferAttribute(perVertex(toolpath.features, n), 1));
    geometry.setAttribute('flags', new BufferAttribute(perVertex(toolpath.flags, n), 1));
    geometry.setAttribute('line', new BufferAttribute(perVertex(toolpath.lines, n), 1));
    const box = summary.bounds ?? summary.travelBounds;
    if (box) {
      // three wants a bounding sphere when sorting objects; the analysis already knows the box.
      const centre = new Vector3((box.min[0] + box.max[0]) / 2, (box.min[1] + box.max[1]) / 2, (box.min[2] + box.max[2]) / 2);
      const radius = Math.hypot(box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]) / 2;
      geometry.boundingSphere = new Sphere(centre, radius);
    }
    // Segment i is the pair of vertices (i, i + 1); a 32-bit index per vertex, sized for all segments.
    this.index = new BufferAttribute(new Uint32Array(2 * n), 1);
    geometry.setIndex(this.index);
    this.toolpath = toolpath;
    this.geometry = geometry;
    this.line = new LineSegments(geometry, this.material);
    this.line.frustumCulled = false;
    this.scene.add(this.line);
    if (box) {
      const size = Math.max(box.max[0] - box.min[0], box.max[1] - box.min[1], 10);
      const gridSize = Math.ceil((size * 1.4) / 10) * 10;
      this.grid = new GridHelper(gridSize, gridSize / 10, 0x4a5058, 0x33383e);
      this.grid.rotation.x = Math.PI / 2;
      this.grid.position.set((box.min[0] + box.max[0]) / 2, (box.min[1] + box.max[1]) / 2, Math.min(0, box.min[2]));
      this.scene.add(this.grid);
      this.frame3d(box.min, box.max);
    }
    this.requestRender();
  }

  setView(view: ToolpathView): void {
    // The same view again (the element re-renders for other reasons) must not cost another frame.
    const viewKey = `${view.firstSegment}/${view.endSegment}/${view.featureMask}/${view.showTravel}/${view.printedLine}/${view.highlightFromLine}`;
    if (viewKey === this.viewKey) return;
    this.viewKey = viewKey;
    const u = this.material.uniforms;
    u.uFeatureMask.value = view.featureMask;
    u.uShowTravel.value = view.showTravel;
    u.uPrintedLine.value = view.printedLine;
    u.uHighlightFromLine.value = view.highlightFromLine;
    if (this.geometry && this.toolpath && this.index) {
      const key = `${view.featureMask}/${view.showTravel}`;
      if (key !== this.indexKey) {
        const array = this.index.array as Uint32Array;
        this.visibleCount = buildVisibleIndex(this.toolpath, view.featureMask, view.showTravel, array);
        this.index.clearUpdateRanges();
        this.index.addUpdateRange(0, Math.max(1, this.visibleCount * 2));
        this.index.needsUpdate = true;
        this.indexKey = key;
      }
      const first = visibleBefore(this.index.array as Uint32Array, this.visibleCount, Math.max(0, view.firstSegment));
      const end = visibleBefore(this.index.array as Uint32Array, this.visibleCount, Math.max(0, view.endSegment));
      this.geometry.setDrawRange(first * 2, Math.max(0, end - first) * 2);
    }
    this.requestRender();
  }

  /** Points the camera at the print from the front, a little above. */
  frame3d(min: number[], max: number[]): void {
    const centre = new Vector3((min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2);
    const radius = Math.max(5, Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) / 2);
    const distance = radius / Math.sin((this.camera.fov * Math.PI) / 360);
    this.camera.position.set(centre.x, centre.y - distance * 0.8, centre.z + distance * 0.6);
    this.camera.near = Math.max(0.1, distance / 1000);
    this.camera.far = distance * 10;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(centre);
    this.controls.update();
  }

  requestRender(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  /** Draws at once rather than at the next animation frame (a frame already asked for is dropped). */
  renderNow(): void {
    if (this.frame !== 0) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    this.renderer.render(this.scene, this.camera);
    this.onRendered?.();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.setAnalysis(null);
    this.material.dispose();
    this.renderer.dispose();
  }

  private resize(): void {
    const width = this.canvas.clientWidth || 300;
    const height = this.canvas.clientHeight || 200;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }
}
