// Which history records offer "Resume from layer N": an interrupted job with a checkpoint that leaves
// something to print. Nothing else is asked of the record, however the job came to be interrupted.

import type { JobRecord } from '../../storage/records.js';
import { suggestedResumeLayer } from './checkpoint-recorder.js';

export function isResumable(job: JobRecord): boolean {
  return job.outcome === 'interrupted' && !!job.checkpoint && suggestedResumeLayer(job.checkpoint, Number.POSITIVE_INFINITY) !== null;
}

/** "Resume from layer N", counted from 1 as people do. */
export function resumeLabel(job: JobRecord): string {
  const layer = job.checkpoint ? suggestedResumeLayer(job.checkpoint, Number.POSITIVE_INFINITY) : null;
  return layer === null ? 'Resume' : `Resume from layer ${layer + 1}`;
}
