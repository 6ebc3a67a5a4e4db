// Remaining time for a running job. The slicer's estimate is good at the start and often wrong by a
// constant factor (acceleration settings, firmware limits); the measured rate is noisy at the start and
// good later. We blend them, trusting the measurement more as the job advances.

export interface RemainingTimeInput {
  /** Time actually spent printing so far (pauses excluded when the caller knows them). */
  elapsedMs: number;
  /** Progress 0..1 (by bytes or lines). */
  fraction: number;
  slicerEstimateSeconds?: number;
}

/** Progress below which the measured rate is too noisy to use. */
const minMeasuredFraction = 0.01;
/** Progress at which the measured rate is fully trusted. */
const fullTrustFraction = 0.5;

/** Seconds left, or undefined when nothing sensible can be said yet. */
export function estimateRemainingSeconds(input: RemainingTimeInput): number | undefined {
  const fraction = Math.min(1, Math.max(0, input.fraction));
  if (fraction >= 1) return 0;
  const elapsed = Math.max(0, input.elapsedMs) / 1000;
  const slicer = input.slicerEstimateSeconds && input.slicerEstimateSeconds > 0 ? input.slicerEstimateSeconds : undefined;
  const measured = fraction >= minMeasuredFraction && elapsed > 0 ? (elapsed / fraction) * (1 - fraction) : undefined;

  if (slicer === undefined) return measured;
  // Progress by bytes is not progress by time, so the slicer's remaining share is scaled by how far
  // the measurement says we are off, as soon as there is a measurement.
  const slicerRemaining = Math.max(0, slicer * (1 - fraction));
  if (measured === undefined) return Math.max(slicerRemaining, slicer - elapsed, 0);
  const weight = Math.min(1, fraction / fullTrustFraction);
  return (1 - weight) * slicerRemaining + weight * measured;
}

/** `1 h 05 min`, `4 min 10 s`, `12 s`. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}
