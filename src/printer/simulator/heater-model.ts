// A first-order thermal model with a controller: full power heats towards ambient + fullPowerRise with
// the block's time constant; near the target a feed-forward plus proportional term holds it exactly.
// Time only advances through `advanceTo`.

import type { HeaterModelOptions } from './simulator-options.js';

const STEP_MS = 100;
const PROPORTIONAL_GAIN = 0.05;

export class HeaterModel {
  temperature: number;
  target = 0;
  /** Last applied power, 0..1 (reported as `@:` 0..127). */
  power = 0;
  private time: number;

  constructor(
    private readonly model: HeaterModelOptions,
    private readonly ambient: number,
    now: number,
  ) {
    this.temperature = ambient;
    this.time = now;
  }

  setTarget(target: number): void {
    this.target = Math.max(0, Math.min(target, this.model.maxTempC));
  }

  advanceTo(now: number): void {
    while (this.time < now) {
      const dt = Math.min(STEP_MS, now - this.time);
      this.power = this.controlPower();
      const equilibrium = this.ambient + this.model.fullPowerRiseC * this.power;
      const decay = Math.exp(-dt / (this.model.timeConstantS * 1000));
      this.temperature = equilibrium + (this.temperature - equilibrium) * decay;
      this.time += dt;
    }
  }

  /** Restarts the clock without simulating the gap (after a reset the board starts cold-ish but alive). */
  resync(now: number): void {
    this.time = now;
  }

  private controlPower(): number {
    if (this.target <= 0) return 0;
    const feedForward = (this.target - this.ambient) / this.model.fullPowerRiseC;
    const power = feedForward + PROPORTIONAL_GAIN * (this.target - this.temperature);
    return Math.max(0, Math.min(1, power));
  }
}
