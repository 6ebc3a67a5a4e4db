import { describe, expect, it } from 'vitest';
import { ResendRequests } from './resend-requests.js';
import { TroubleMeter } from './flow-policy.js';
import { HostPromptBuilder } from './host-prompt.js';
import { silenceAllowance, DEFAULT_TIMEOUTS, commandTiming } from './command-timing.js';

describe('resend requests', () => {
  it('ignores lines not sent, absorbs stale duplicates up to the lines that were in flight, then honours', () => {
    const r = new ResendRequests(3);
    expect(r.judge(20, 10, false)).toEqual({ kind: 'not-sent' });
    expect(r.judge(5, 10, false)).toEqual({ kind: 'honour' });
    r.serve(5, 2, 0);
    expect(r.judge(5, 10, false)).toEqual({ kind: 'duplicate' });
    expect(r.judge(5, 10, false)).toEqual({ kind: 'duplicate' });
    expect(r.judge(5, 10, false)).toEqual({ kind: 'honour' });
    r.serve(5, 0, 0);
    expect(r.judge(5, 10, false)).toEqual({ kind: 'honour' });
    expect(r.judge(5, 10, false)).toEqual({ kind: 'too-many', times: 3 });
  });

  it("never treats the answer to the host's own probe as a duplicate", () => {
    const r = new ResendRequests(10);
    r.serve(7, 5, 0);
    expect(r.judge(7, 10, true)).toEqual({ kind: 'honour' });
    expect(r.acknowledged(6)).toBe(false);
    expect(r.acknowledged(7)).toBe(true);
    expect(r.serving).toBeNull();
  });
});

describe('repeats of one resend request', () => {
  it('ignores requests caused by lines out of sequence while the line is being resent; damage counts', () => {
    const r = new ResendRequests(2);
    expect(r.judge(60, 90, false)).toEqual({ kind: 'honour' });
    r.serve(60, 0, 0);
    // More than were known in flight: lines dropped for an earlier resend may still be in the buffer.
    for (let i = 0; i < 5; i++) expect(r.judge(60, 90, false, true)).toEqual({ kind: 'duplicate' });
    // The resent copy itself damaged (a checksum error): counts, up to the limit.
    expect(r.judge(60, 90, false, false)).toEqual({ kind: 'honour' });
    r.serve(60, 0, 1);
    expect(r.judge(60, 90, false, false)).toEqual({ kind: 'too-many', times: 2 });
  });

  it('absorbs the repeats owed by lines in flight across a probe and after the line seemed acknowledged', () => {
    const r = new ResendRequests(2);
    expect(r.judge(60, 90, false)).toEqual({ kind: 'honour' });
    r.serve(60, 3, 0);
    // A probe clears what is served; its answer is honoured, but as one of the repeats still owed.
    r.serving = null;
    expect(r.judge(60, 90, true)).toEqual({ kind: 'honour' });
    r.serve(60, 0, 1);
    // An `ok` taken for the resent line before the repeats are all in does not forgive the rest.
    expect(r.acknowledged(60)).toBe(true);
    expect(r.judge(60, 90, false)).toEqual({ kind: 'duplicate' });
    expect(r.judge(60, 90, false)).toEqual({ kind: 'duplicate' });
    // Every repeat is in: the line failing again counts, up to the limit.
    expect(r.judge(60, 90, false)).toEqual({ kind: 'honour' });
    r.serve(60, 0, 2);
    expect(r.judge(60, 90, false)).toEqual({ kind: 'too-many', times: 2 });
  });

  it('adds the repeats owed by lines sent after a resend to those still owed', () => {
    const r = new ResendRequests(1);
    expect(r.judge(10, 40, false)).toEqual({ kind: 'honour' });
    r.serve(10, 1, 0);
    r.serve(10, 2, 1);
    r.acknowledged(10);
    for (let i = 0; i < 3; i++) expect(r.judge(10, 40, false)).toEqual({ kind: 'duplicate' });
    expect(r.judge(10, 40, false)).toEqual({ kind: 'too-many', times: 1 });
  });
});

describe('trouble meter', () => {
  it('trips after enough trouble within the window of lines, not when spread out', () => {
    const spread = new TroubleMeter(3, 100);
    expect([0, 200, 400, 600].map((l) => spread.note(l))).toEqual([false, false, false, false]);
    const close = new TroubleMeter(3, 100);
    expect([0, 10, 20].map((l) => close.note(l))).toEqual([false, false, true]);
  });
});

describe('host prompt builder', () => {
  it('assembles begin/button/show and closes on end', () => {
    const b = new HostPromptBuilder();
    expect(b.apply('prompt_begin', 'Load filament')).toBeUndefined();
    b.apply('prompt_button', 'Done');
    expect(b.apply('prompt_show', '')).toEqual({ text: 'Load filament', buttons: ['Done'] });
    expect(b.apply('prompt_end', '')).toBeNull();
  });
});

describe('silence allowances', () => {
  it('gives homing and heating more time unless keepalives are known', () => {
    const t = DEFAULT_TIMEOUTS;
    expect(silenceAllowance([commandTiming('G1 X1')], false, t)).toBe(t.replyMs);
    expect(silenceAllowance([commandTiming('G28')], false, t)).toBe(t.longCommandMs);
    expect(silenceAllowance([commandTiming('M190 S60'), commandTiming('G28')], false, t)).toBe(t.heatingMs);
    expect(silenceAllowance([commandTiming('M109 S200')], true, t)).toBe(t.keepaliveMs);
  });
});
