// Joins an interrupted job's record, its file's layer index and the user's choices into what the
// printer link needs: the offer shown in the dialog, the plan (preamble) and where to start streaming.

import type { GcodeRecord, JobRecord } from '../../storage/records.js';
import type { ResumeOffer, ResumeRequest } from '../link-api.js';
import { suggestedResumeLayer } from './checkpoint-recorder.js';
import type { LayerIndex, LayerStart } from './layer-index.js';
import { buildResumePlan, type ResumePlan } from './resume-plan.js';

/** A job that continues an interrupted one. */
export interface ResumeStart {
  from: JobRecord;
  layer: LayerStart;
  preamble: string[];
}

export function describeResumeOffer(record: JobRecord, index: LayerIndex): { ok: true; offer: ResumeOffer } | { ok: false; message: string } {
  const c = record.checkpoint;
  if (record.outcome !== 'interrupted' || !c) return { ok: false, message: 'Only an interrupted print with a saved checkpoint can be resumed.' };
  if (index.layers.length === 0) return { ok: false, message: 'The file has no layers Sliceport can find (no layer comments, no Z steps), so it cannot be resumed from a layer.' };
  const suggested = suggestedResumeLayer(c, index.layers.length);
  if (suggested === null) {
    return { ok: false, message: c.layer < 0 ? 'The print stopped before its first layer: print it again instead.' : 'Every layer was finished: there is nothing left to resume.' };
  }
  const offer: ResumeOffer = {
    jobId: record.id,
    gcodeId: record.gcodeId,
    fileName: record.fileName,
    interruptedLayer: c.layer,
    finishedLayer: c.finished?.layer ?? -1,
    suggestedLayer: suggested,
    layerCount: index.layers.length,
    layers: index.layers.map((l) => (l.z !== undefined ? { layer: l.layer, line: l.line, z: l.z } : { layer: l.layer, line: l.line })),
    nozzleZ: c.zLow,
    nozzleZHigh: c.zHigh,
    ackedLine: c.acked.line,
    checkpointAt: c.at,
  };
  if (record.reason) offer.reason = record.reason;
  return { ok: true, offer };
}

export function planResumeFor(record: JobRecord, index: LayerIndex, request: ResumeRequest): ResumePlan {
  const layer = index.layers[request.layer];
  if (!Number.isInteger(request.layer) || !layer) return { ok: false, message: `The file has no layer ${request.layer + 1}.` };
  return buildResumePlan({
    layer,
    checkpoint: record.checkpoint ?? null,
    choices: { nozzleZ: request.nozzleZ, homeZ: request.homeZ, ...(request.primeMm !== undefined ? { primeMm: request.primeMm } : {}) },
  });
}

/** The stored file from byte `offset` on, read chunk by chunk from the chunk that holds it. */
export async function* chunksFromOffset(
  files: { chunks(id: string, fromChunk?: number): AsyncIterable<Uint8Array> },
  gcode: Pick<GcodeRecord, 'id' | 'chunkSize'>,
  offset: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  const first = Math.floor(offset / gcode.chunkSize);
  let skip = offset - first * gcode.chunkSize;
  for await (const chunk of files.chunks(gcode.id, first)) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    yield skip > 0 ? chunk.subarray(skip) : chunk;
    skip = 0;
  }
}
