import { describe, expect, it } from 'vitest';
import type { JobCheckpoint } from '../../storage/job-checkpoint.js';
import { JobStreamer } from '../engine/job-streamer.js';
import { CheckpointRecorder, PLANNER_BOUND, layerFences, suggestedResumeLayer } from './checkpoint-recorder.js';
import { LayerIndexBuilder } from './layer-index.js';
import { LatestWinsWriter } from './latest-wins.js';
import { layeredPrint } from '../testing/layered-print.js';

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('checkpoint recorder', () => {
  const print = layeredPrint({ layers: 4, movesPerLayer: 10, markers: 'cura', zHop: 0.4 });
  const bytes = bytesOf(print.text);
  const builder = new LayerIndexBuilder();
  builder.feed(bytes);
  const index = builder.finish();

  function ackUntil(stop: (line: { command: string; fence?: number }, i: number) => boolean): { recorder: CheckpointRecorder; layerDone: number[] } {
    const recorder = new CheckpointRecorder('g', index);
    const streamer = new JobStreamer({ fences: layerFences(index) });
    streamer.feed(bytes, true);
    const layerDone: number[] = [];
    let i = 0;
    for (let c = streamer.next(); c && !stop(c, i); c = streamer.next(), i++) if (recorder.onAcked(c)) layerDone.push(c.fence! - 1);
    return { recorder, layerDone };
  }

  it('marks a layer finished when its fence is acknowledged, and says it is time to write', () => {
    const { recorder, layerDone } = ackUntil(() => false);
    expect(layerDone).toEqual([-1, 0, 1, 2]);
    const c = recorder.checkpoint(5);
    expect(c.finished).toEqual({ line: index.layers[3]!.line - 1, offset: index.layers[3]!.offset, layer: 2 });
    expect(c.layer).toBe(3);
    expect(c.acked.offset).toBe(bytes.length - ';End\n'.length);
    // The end code turned the hotend off.
    expect(c.state.hotends[0]).toBe(0);
  });

  it('in the middle of a layer: the acknowledged line, the layer, and the Z range since the layer began', () => {
    // Stop a few moves into layer 2 (0-based).
    let seenLayer2 = 0;
    const { recorder } = ackUntil((c) => (c.fence === 2 || seenLayer2 > 0 ? ++seenLayer2 > 6 : false));
    const c: JobCheckpoint = recorder.checkpoint(1);
    expect(c.finished?.layer).toBe(1);
    expect(c.layer).toBe(2);
    // Layer 1 ended at Z 0.4; layer 2 hops to 1.0 and prints at 0.6.
    expect(c.zLow).toBeCloseTo(0.4);
    expect(c.zHigh).toBeCloseTo(1.0);
    expect(c.state.z).toBeCloseTo(0.6);
    expect(suggestedResumeLayer(c, index.layers.length)).toBe(2);
  });

  it('once more moves than a planner holds were acknowledged, the layer start is no longer a possible nozzle height', () => {
    const long = layeredPrint({ layers: 3, movesPerLayer: 400, markers: 'cura', zHop: 0.4 });
    const longBytes = bytesOf(long.text);
    const b = new LayerIndexBuilder();
    b.feed(longBytes);
    const longIndex = b.finish();
    const at = (moves: number): JobCheckpoint => {
      const recorder = new CheckpointRecorder('g', longIndex);
      const streamer = new JobStreamer({ fences: layerFences(longIndex) });
      streamer.feed(longBytes, true);
      let after = -1;
      for (let c = streamer.next(); c; c = streamer.next()) {
        recorder.onAcked(c);
        if (c.fence === 2) after = 0;
        else if (after >= 0 && /^G[01] /.test(c.command) && ++after >= moves) break;
      }
      return recorder.checkpoint(0);
    };
    // Layer 1 (0-based) ended at Z 0.4; layer 2 hops to 1.0, then prints at 0.6.
    expect(at(20)).toMatchObject({ zLow: 0.4, zHigh: 1 });
    expect(at(PLANNER_BOUND + 10).zLow).toBeCloseTo(0.6);
    expect(at(PLANNER_BOUND + 10).zHigh).toBeCloseTo(0.6);
  });

  it('suggests nothing when nothing was printed or everything was', () => {
    const { recorder } = ackUntil((_, i) => i > 3);
    expect(suggestedResumeLayer(recorder.checkpoint(0), 4)).toBeNull();
    const done = ackUntil(() => false).recorder.checkpoint(0);
    expect(suggestedResumeLayer({ ...done, finished: { ...done.finished!, layer: 3 } }, 4)).toBeNull();
  });
});

describe('latest-wins record writer', () => {
  it('writes one at a time, skips superseded versions of a record, keeps every record, and survives failures', async () => {
    const written: string[] = [];
    const errors: unknown[] = [];
    let release: (() => void) | null = null;
    const writer = new LatestWinsWriter<{ id: string; v: number }>(
      (r) => r.id,
      (r) =>
        new Promise<void>((resolve, reject) => {
          written.push(`${r.id}:${r.v}`);
          release = r.v === 3 ? () => reject(new Error('disk full')) : resolve;
        }),
      (e) => errors.push(e),
    );
    writer.submit({ id: 'a', v: 1 });
    writer.submit({ id: 'a', v: 2 });
    writer.submit({ id: 'b', v: 1 });
    writer.submit({ id: 'a', v: 3 });
    for (let i = 0; i < 5; i++) {
      const r = release as (() => void) | null;
      release = null;
      r?.();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await writer.idle();
    expect(written).toEqual(['a:1', 'b:1', 'a:3']);
    expect(errors).toHaveLength(1);
    writer.submit({ id: 'a', v: 4 });
    (release as (() => void) | null)?.();
    await writer.idle();
    expect(written.at(-1)).toBe('a:4');
  });
});
