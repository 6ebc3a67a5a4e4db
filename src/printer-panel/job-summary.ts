// What the job card shows, computed from the worker's progress events.

import type { HostPrompt, JobProgress, JobState } from '../printer/link-api.js';
import { formatFilament } from './history-stats.js';
import { estimateRemainingSeconds, formatDuration } from './remaining-time.js';

export const activeJobStates: ReadonlySet<JobState> = new Set(['printing', 'pausing', 'paused', 'resuming', 'cancelling']);

export function isJobActive(job: JobProgress | undefined): boolean {
  return job !== undefined && activeJobStates.has(job.state);
}

export interface JobSummary {
  fraction: number;
  percentText: string;
  elapsedText: string;
  remainingText: string;
  layerText: string | undefined;
  filamentText: string;
  stateText: string;
}

const stateTexts: Record<JobState, string> = {
  printing: 'Printing',
  pausing: 'Pausing…',
  paused: 'Paused',
  resuming: 'Resuming…',
  cancelling: 'Cancelling…',
  completed: 'Finished',
  cancelled: 'Cancelled',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

export function jobFraction(job: JobProgress): number {
  if (job.state === 'completed') return 1;
  if (job.totalBytes > 0) return Math.min(1, job.bytesSent / job.totalBytes);
  if (job.totalLines && job.totalLines > 0) return Math.min(1, job.linesSent / job.totalLines);
  return 0;
}

export function summarizeJob(job: JobProgress): JobSummary {
  const fraction = jobFraction(job);
  const remaining = activeJobStates.has(job.state)
    ? estimateRemainingSeconds({ elapsedMs: job.elapsedMs, fraction, slicerEstimateSeconds: job.slicerEstimateSeconds })
    : job.state === 'completed'
      ? 0
      : undefined;
  return {
    fraction,
    percentText: `${Math.floor(fraction * 1000) / 10}%`,
    elapsedText: formatDuration(job.elapsedMs / 1000),
    remainingText: formatDuration(remaining),
    // The engine counts layers from 0, as Cura's `;LAYER:0` does; people count from 1.
    layerText: job.layer !== undefined ? (job.layerCount ? `${job.layer + 1} of ${job.layerCount}` : String(job.layer + 1)) : undefined,
    filamentText: formatFilament(job.filamentUsedMm),
    stateText: job.reason && !activeJobStates.has(job.state) ? `${stateTexts[job.state]}: ${job.reason}` : stateTexts[job.state],
  };
}

export interface AttentionNotice {
  title: string;
  body: string;
  tag: string;
}

/** A system notification is worth sending when a job ends, fails, or the printer asks a question. */
export function attentionNotice(before: JobProgress | undefined, after: JobProgress | undefined, prompt: HostPrompt | null, hadPrompt: boolean): AttentionNotice | null {
  if (prompt && !hadPrompt) return { title: 'The printer needs you', body: prompt.text, tag: 'sliceport-prompt' };
  if (!after || (before && before.jobId === after.jobId && before.state === after.state)) return null;
  if (before && before.jobId === after.jobId && !activeJobStates.has(before.state)) return null;
  const tag = `sliceport-job-${after.jobId}`;
  switch (after.state) {
    case 'completed':
      return { title: 'Print finished', body: `${after.fileName} is done.`, tag };
    case 'failed':
      return { title: 'Print failed', body: `${after.fileName}: ${after.reason ?? 'the printer reported an error.'}`, tag };
    case 'interrupted':
      return { title: 'Print interrupted', body: `${after.fileName}: ${after.reason ?? 'the printer was disconnected.'}`, tag };
    case 'cancelled':
      return { title: 'Print cancelled', body: after.fileName, tag };
    case 'paused':
      return { title: 'Print paused', body: `${after.fileName}${after.reason ? `: ${after.reason}` : ''}`, tag };
    default:
      return null;
  }
}
