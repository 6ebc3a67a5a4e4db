// An idle thread next to the printer worker: a 4 ms timer that records how late it fires. The printer
// worker's sender can never react faster than an idle thread is woken, so this thread's delays are the
// floor set by the machine (other processes, the slicer on the other core), not by the printer's code.

const PERIOD_MS = 4;
const delays: Array<{ at: number; ms: number }> = [];
let expected = performance.now() + PERIOD_MS;
setInterval(() => {
  const now = performance.now();
  const late = now - expected;
  if (late > 5) delays.push({ at: performance.timeOrigin + now, ms: late });
  expected = now + PERIOD_MS;
}, PERIOD_MS);

self.onmessage = () => self.postMessage(delays);
