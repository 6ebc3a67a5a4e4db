// How Marlin's parser reads a command once the line framing is gone: a letter and a code, then
// parameters as letter + number, spaces optional ("G1X10Y20" is fine).

export interface CommandWords {
  /** 'G', 'M', 'T', or '' for a line that is not a command. */
  letter: string;
  code: number;
  params: Map<string, number>;
  /** Parameter letters present without a number (e.g. `G28 X`). */
  flags: Set<string>;
  /** Everything after the code, for commands that take a string (M117, M118). */
  rest: string;
}

export function parseCommandWords(text: string): CommandWords {
  const words: CommandWords = { letter: '', code: NaN, params: new Map(), flags: new Set(), rest: '' };
  const head = /^([GMTgmt])\s*(\d+)(?:\.\d+)?/.exec(text);
  if (!head) return words;
  words.letter = head[1].toUpperCase();
  words.code = Number(head[2]);
  words.rest = text.slice(head[0].length).replace(/^ /, '');
  const body = text.slice(head[0].length);
  const param = /([A-Za-z])\s*([-+]?(?:\d+\.?\d*|\.\d+))?/g;
  for (let match = param.exec(body); match; match = param.exec(body)) {
    const key = match[1].toUpperCase();
    if (match[2] === undefined) words.flags.add(key);
    else words.params.set(key, Number(match[2]));
  }
  return words;
}
