// The soak job: a print-like file of any length, made the same way by the page (which stores it) and by
// the benchmark (which checks what the simulated firmware executed against it). Short chords along
// circles, layer comments and a retraction now and then, as a slicer writes them.

/** The file's lines, comments included, in order. */
export function* soakGcodeLines(moves: number): Generator<string> {
  yield '; Sliceport soak job';
  yield 'G21';
  yield 'G90';
  yield 'M82';
  yield 'G92 E0';
  let e = 0;
  for (let i = 0; i < moves; i++) {
    if (i % 5000 === 0) {
      yield `;LAYER:${i / 5000}`;
      yield `G1 Z${(0.2 + (i / 5000) * 0.2).toFixed(2)} F600`;
    }
    const angle = i / 200;
    e += 0.00333;
    yield `G1 X${(110 + 20 * Math.cos(angle)).toFixed(3)} Y${(110 + 20 * Math.sin(angle)).toFixed(3)} E${e.toFixed(5)}${i % 1000 === 0 ? ' F9000' : ''}`;
  }
  yield 'M84';
}

/** What the firmware should execute: the lines without comments, in order. */
export function soakCommands(moves: number): string[] {
  const out: string[] = [];
  for (const line of soakGcodeLines(moves)) {
    const semi = line.indexOf(';');
    const command = (semi < 0 ? line : line.slice(0, semi)).trim();
    if (command) out.push(command);
  }
  return out;
}

/** How many file lines `moves` makes (for sizing a job to a line count). */
export function soakLineCount(moves: number): number {
  return 5 + moves + 2 * Math.ceil(moves / 5000) + 1;
}
