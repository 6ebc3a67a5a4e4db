// The live temperature chart. Drawing happens in requestAnimationFrame and only when new samples
// arrived (or the canvas was resized), from decimated data bounded by the chart's width, so a long
// print never makes the page janky.

import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { HeaterId } from '../../printer/link-api.js';
import type { TemperatureHistory } from '../../printer-panel/temperature-history.js';

const colors: Record<string, string> = { T0: '#e5533d', T1: '#f0a030', B: '#3d7be5', C: '#3db36b' };
const colorOf = (heater: HeaterId) => colors[heater] ?? '#999';
const legendNames: Record<string, string> = { T0: 'Hotend', T1: 'Hotend 2', B: 'Bed', C: 'Chamber' };

@customElement('sp-temperature-chart')
export class TemperatureChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    canvas {
      width: 100%;
      height: 160px;
      display: block;
    }
    .legend {
      display: flex;
      gap: 1rem;
      font-size: 0.8em;
      opacity: 0.85;
    }
    .swatch {
      display: inline-block;
      width: 0.8em;
      height: 0.25em;
      vertical-align: middle;
      margin-right: 0.3em;
    }
  `;

  @property({ attribute: false }) history: TemperatureHistory | undefined;

  /** How many times the canvas has been drawn; read by tests to see that the chart moves. */
  drawCount = 0;
  private frame = 0;
  private drawnRevision = -1;
  private drawnWidth = 0;
  private canvas: HTMLCanvasElement | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private legendCount = 0;

  override render() {
    const heaters = this.history?.heaters ?? [];
    return html`<canvas part="canvas" data-testid="temperature-chart" role="img" aria-label="Temperatures over the last 30 minutes"></canvas>
      <div class="legend">
        ${heaters.map((h) => html`<span><span class="swatch" style="background:${colorOf(h)}"></span>${legendNames[h] ?? h}</span>`)}
        <span class="muted">last 30 min · dashed: target</span>
      </div>`;
  }

  override firstUpdated(): void {
    this.canvas = this.renderRoot.querySelector('canvas');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A cheap check once a second: samples arrive at about 1 Hz, so the chart never draws more often.
    this.timer = setInterval(() => this.schedule(), 1000);
    this.schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const canvas = this.canvas;
    const history = this.history;
    if (!canvas || !history) return;
    const width = Math.max(1, Math.round(canvas.clientWidth * devicePixelRatio));
    const height = Math.max(1, Math.round(canvas.clientHeight * devicePixelRatio));
    if (history.revision === this.drawnRevision && width === this.drawnWidth) return;
    this.drawnRevision = history.revision;
    this.drawnWidth = width;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const now = Date.now();
    const series = history.series(now, Math.max(10, Math.floor(width / 2)));
    let top = 50;
    for (const s of series) for (const p of [...s.current, ...s.target]) top = Math.max(top, p.value);
    top = Math.ceil((top + 10) / 50) * 50;
    const x = (t: number) => ((t - (now - history.windowMs)) / history.windowMs) * width;
    const y = (v: number) => height - (Math.max(0, v) / top) * (height - 4) - 2;

    ctx.clearRect(0, 0, width, height);
    ctx.lineWidth = devicePixelRatio;
    ctx.strokeStyle = 'rgba(128,128,128,0.25)';
    ctx.fillStyle = 'rgba(128,128,128,0.9)';
    ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
    for (let v = 0; v <= top; v += 50) {
      ctx.beginPath();
      ctx.moveTo(0, y(v));
      ctx.lineTo(width, y(v));
      ctx.stroke();
      ctx.fillText(`${v}°`, 2, y(v) - 2);
    }
    for (const s of series) {
      const color = colorOf(s.heater);
      ctx.strokeStyle = color;
      ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
      stroke(ctx, s.target, x, y, true);
      ctx.setLineDash([]);
      ctx.lineWidth = 2 * devicePixelRatio;
      stroke(ctx, s.current, x, y, false);
      ctx.lineWidth = devicePixelRatio;
    }
    if (series.length !== this.legendCount) {
      this.legendCount = series.length;
      this.requestUpdate();
    }
    this.drawCount++;
    this.dataset.draws = String(this.drawCount);
    this.dataset.samples = String(series.reduce((n, s) => n + s.current.length, 0));
  }
}

function stroke(ctx: CanvasRenderingContext2D, points: readonly { t: number; value: number }[], x: (t: number) => number, y: (v: number) => number, steps: boolean): void {
  if (points.length === 0) return;
  ctx.beginPath();
  points.forEach((p, i) => {
    if (i === 0) ctx.moveTo(x(p.t), y(p.value));
    else {
      if (steps) ctx.lineTo(x(p.t), y(points[i - 1]!.value));
      ctx.lineTo(x(p.t), y(p.value));
    }
  });
  ctx.stroke();
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-temperature-chart': TemperatureChart;
  }
}
